import { OverlayToaster, Position, type Toaster, type ToastProps } from '@blueprintjs/core';
import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from 'react';

/** Shows a toast; a second one with the same `key` replaces the first instead of stacking. */
type Show = (toast: ToastProps, key?: string) => void;

const ToastContext = createContext<Show | null>(null);

/**
 * The window's one toaster: results of actions (killed, created, failed) appear bottom right,
 * away from the headers and toolbars people act from, and stay a while; failures stay until
 * dismissed, since someone may have looked away.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const toaster = useRef<Toaster | null>(null);
  const setToaster = useCallback((t: OverlayToaster | null) => {
    toaster.current = t;
  }, []);
  const show = useCallback<Show>((toast, key) => {
    toaster.current?.show(toast, key);
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <OverlayToaster ref={setToaster} position={Position.BOTTOM_RIGHT} maxToasts={5} />
    </ToastContext.Provider>
  );
}

export function useToast(): Show {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast outside <ToastProvider>');
  return show;
}
