import { AnchorButton, Button, Tooltip, type ButtonProps } from '@blueprintjs/core';
import { useId } from 'react';
import './ActionButton.css';

type Shared = Pick<ButtonProps, 'text' | 'icon' | 'endIcon' | 'intent' | 'variant' | 'size' | 'loading' | 'className' | 'title'>;

export interface ActionButtonProps extends Shared {
  onClick?: () => void;
  'aria-label'?: string;
  /** Why the action cannot run now; the button is disabled and says so on hover and to screen readers. */
  disabledReason?: string | null;
}

/**
 * A button for a cluster action that knows whether the action is allowed, and when it is not,
 * says why (Nomad's buttons do; Aurora's UI has none). A disabled <button> gets no hover
 * events, so the disabled one is an AnchorButton inside the tooltip.
 */
export function ActionButton({ disabledReason, onClick, ...shared }: ActionButtonProps) {
  const id = useId();
  if (!disabledReason) return <Button {...shared} onClick={onClick} />;
  return (
    <>
      <Tooltip content={disabledReason} placement="bottom" className="action-button-tip">
        <AnchorButton {...shared} loading={false} disabled aria-describedby={id} />
      </Tooltip>
      <span id={id} className="sr-only">
        {disabledReason}
      </span>
    </>
  );
}
