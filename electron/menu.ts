import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Electron's stock View menu (`role: 'viewMenu'`) holds Reload, Force
 * Reload and Toggle Developer Tools: useful while developing, but in a packaged app a reload
 * drops the user's place and DevTools open a console with the page's privileges. A packaged
 * app gets a View menu of zoom and full screen only.
 */
export function applicationMenuTemplate(packaged: boolean, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions = packaged
    ? {
        label: 'View',
        submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
      }
    : { role: 'viewMenu' };
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}

export function applicationMenu(packaged: boolean): Menu {
  return Menu.buildFromTemplate(applicationMenuTemplate(packaged));
}
