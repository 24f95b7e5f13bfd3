import { Button, Callout, Dialog, DialogBody, DialogFooter, Spinner } from '@blueprintjs/core';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ErrorIcon, LogInIcon } from '../../components/icons';
import type { OpenProfile } from './useOpenProfile';

/** While a profile opens: what is happening, then the reload; or why it did not open. */
export function OpeningDialog({ opening, openName }: { opening: OpenProfile; openName: string | null }) {
  const target = opening.variables;
  if (opening.isIdle || !target) return null;
  const busy = !opening.isError;
  return (
    <Dialog
      isOpen
      title={`Open profile ${target.name}`}
      icon={<LogInIcon />}
      className="profile-opening"
      isCloseButtonShown={!busy}
      canEscapeKeyClose={!busy}
      canOutsideClickClose={!busy}
      onClose={() => opening.reset()}
    >
      <DialogBody>
        {opening.isError ? (
          <Callout intent="danger" icon={<ErrorIcon />} title={`Could not open ${target.name}`} role="alert">
            <ErrorMessage error={opening.error} />
          </Callout>
        ) : (
          <div className="profile-opening-body" role="status" aria-live="polite">
            <Spinner size={24} />
            <div>
              <p className="profile-opening-step">
                {opening.isSuccess
                  ? `${target.name} is open; reloading…`
                  : `${openName ? `Closing ${openName} and opening` : 'Opening'} ${target.name}…`}
              </p>
              <p className="muted">Every screen reloads once it is open, so nothing of the other profile stays on screen.</p>
            </div>
          </div>
        )}
      </DialogBody>
      {opening.isError && (
        <DialogFooter
          actions={
            <>
              <Button text="Close" onClick={() => opening.reset()} />
              <Button
                intent="primary"
                text="Reload the window"
                title="Shows whichever profile the host has open now"
                onClick={() => window.location.reload()}
              />
            </>
          }
        />
      )}
    </Dialog>
  );
}
