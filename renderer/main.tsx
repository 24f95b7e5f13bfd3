// Icons are SVG components (components/icons.ts); Blueprint's icon font is not loaded.
import '@blueprintjs/core/lib/css/blueprint.css';
import './app/theme.css';
import './app/App.css';
import './components/screen.css';
import { FocusStyleManager } from '@blueprintjs/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect';
import { ApiProvider } from './api/context';
import { createQueryClient } from './api/queryClient';
import { App } from './app/App';
import { ToastProvider } from './app/toasts';

// Focus rings for keyboard users only; a mouse click does not leave a blue outline behind.
FocusStyleManager.onlyShowFocusOnTabs();

const api = connectApi();
const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider api={api}>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
