import { Button, InputGroup } from '@blueprintjs/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { ActionButton } from './ActionButton';
import './ConfirmButton.css';

export interface ConfirmButtonProps {
  /** The first step: "Kill 2 instances". */
  text: string;
  /** The second step says exactly what will happen: "Yes, kill instances 0 and 1". */
  confirmText: string;
  icon?: ReactElement;
  /** For the worst actions: the user must type this (a job's name) before the second step works. */
  typedName?: string;
  disabledReason?: string | null;
  loading?: boolean;
  /** Danger for what cannot be undone (kill); warning for what interrupts (restart). */
  intent?: 'danger' | 'warning';
  onConfirm: () => void;
}

/**
 * The one confirmation for destructive actions, Nomad's two-step button: the first click turns
 * the button, in place, into "Yes, …" and Cancel; a click elsewhere or Escape cancels. With
 * `typedName`, the second step also asks for the name to be typed, so a whole job is never
 * killed by two quick clicks in the wrong window.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const box = useRef<HTMLSpanElement>(null);

  const cancel = () => {
    setConfirming(false);
    setTyped('');
  };

  useEffect(() => {
    if (!confirming) return;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) cancel();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') cancel();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [confirming]);

  // A disabled action cannot be half-way confirmed (e.g. the selection changed under it).
  useEffect(() => {
    if (props.disabledReason) cancel();
  }, [props.disabledReason]);

  if (!confirming || props.disabledReason) {
    return (
      <ActionButton
        text={props.text}
        icon={props.icon}
        intent={props.intent ?? 'danger'}
        variant="outlined"
        loading={props.loading ?? false}
        disabledReason={props.disabledReason ?? null}
        onClick={() => setConfirming(true)}
      />
    );
  }

  const nameOk = props.typedName === undefined || typed === props.typedName;
  const confirm = () => {
    if (!nameOk) return;
    cancel();
    props.onConfirm();
  };
  return (
    <span className={`confirm-step confirm-${props.intent ?? 'danger'}`} ref={box} role="group" aria-label={`Confirm: ${props.text}`}>
      {props.typedName !== undefined && (
        <label className="confirm-typed">
          <span className="confirm-prompt">
            Type <code>{props.typedName}</code> to confirm
          </span>
          <InputGroup
            size="small"
            autoFocus
            value={typed}
            onValueChange={setTyped}
            aria-label={`Type ${props.typedName} to confirm`}
            spellCheck={false}
            onKeyDown={(e) => {
              if (e.key === 'Enter') confirm();
            }}
          />
        </label>
      )}
      <ActionButton
        text={props.confirmText}
        icon={props.icon}
        intent={props.intent ?? 'danger'}
        disabledReason={nameOk ? null : `Type ${props.typedName} first`}
        onClick={confirm}
      />
      <Button text="Cancel" variant="minimal" onClick={cancel} autoFocus={props.typedName === undefined} />
    </span>
  );
}
