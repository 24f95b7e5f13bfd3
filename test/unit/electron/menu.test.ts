import { describe, expect, test, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
}));
vi.mock('electron', () => ({ Menu: fake.Menu }));

const { applicationMenu, applicationMenuTemplate } = await import('../../../electron/menu.js');

type Item = { role?: string; label?: string; submenu?: Item[] };
const everyItem = (items: Item[]): Item[] => items.flatMap((i) => [i, ...everyItem(i.submenu ?? [])]);
const roles = (items: Item[]) => everyItem(items).map((i) => i.role?.toLowerCase());

// Electron's stock View menu (role viewMenu) is the one holding Reload, Force Reload and DevTools.
const developerRoles = ['reload', 'forcereload', 'toggledevtools', 'viewmenu'];

describe('the application menu', () => {
  test.each(['linux', 'darwin', 'win32'] as const)('in a packaged app on %s has no Reload, Force Reload or Developer Tools', (platform) => {
    const items = applicationMenuTemplate(true, platform) as Item[];
    expect(roles(items).filter((r) => developerRoles.includes(r ?? ''))).toEqual([]);
    expect(everyItem(items).map((i) => i.label ?? '')).not.toContainEqual(expect.stringMatching(/reload|developer|devtools/i));
  });

  test('in a packaged app still has zoom and full screen under View', () => {
    const view = (applicationMenuTemplate(true, 'linux') as Item[]).find((i) => i.label === 'View')!;
    expect(roles(view.submenu!)).toEqual(expect.arrayContaining(['resetzoom', 'zoomin', 'zoomout', 'togglefullscreen']));
  });

  test('while developing (not packaged) keeps the stock View menu, with Reload and DevTools', () => {
    expect(roles(applicationMenuTemplate(false, 'linux') as Item[])).toContain('viewmenu');
  });

  test('the macOS app menu comes first on macOS only', () => {
    expect((applicationMenuTemplate(true, 'darwin') as Item[])[0]!.role).toBe('appMenu');
    expect(roles(applicationMenuTemplate(true, 'linux') as Item[])).not.toContain('appmenu');
  });

  test('is built from that template', () => {
    expect(applicationMenu(true)).toEqual({ template: applicationMenuTemplate(true) });
  });
});
