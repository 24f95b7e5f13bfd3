import { Button, Callout, Dialog, DialogBody, DialogFooter, FormGroup, InputGroup, SegmentedControl, TextArea } from '@blueprintjs/core';
import { useState } from 'react';
import type { HoldTarget } from '../../../core/contract';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ErrorIcon, LockIcon } from '../../components/icons';
import { formatInstant, useNow } from '../../components/RelativeTime';
import { scalingInvalidates } from './actions';
import { holdTargetText } from './format';
import { holdChoices, holdUntil, toLocalInput, type HoldChoice } from './holdDuration';
import './dialogs.css';

/**
 * "Keep machines up": a pool or one instance is kept until a time, with a reason a colleague
 * can read. Every downscale path refuses held machines until the hold ends or is released.
 */
export function HoldDialog({ profileId, target, onClose }: { profileId: string; target: HoldTarget; onClose: () => void }) {
  const now = useNow();
  const [choice, setChoice] = useState<HoldChoice>('4h');
  const [custom, setCustom] = useState(() => toLocalInput(Date.now() + 24 * 3_600_000));
  const [reason, setReason] = useState('');
  const what = holdTargetText(target);

  const set = useClusterAction({
    call: 'holds.set',
    profileId,
    invalidates: scalingInvalidates,
    toastErrors: false,
    success: (data) => `Holding ${holdTargetText(data.hold.target)} until ${formatInstant(data.hold.until)}`,
    failure: () => `Could not hold ${what}`,
  });

  const end = holdUntil(choice, custom, now);
  const blocker = 'problem' in end ? end.problem : reason.trim().length < 3 ? 'Say why, so a colleague knows whether to release it' : null;
  const submit = () => {
    // The end is computed at the press, so "4 hours" means four hours from now.
    const at = holdUntil(choice, custom, Date.now());
    if (blocker || 'problem' in at) return;
    set.mutate({ target, until: at.until, reason: reason.trim() }, { onSuccess: onClose });
  };

  return (
    <Dialog isOpen onClose={onClose} title={`Hold ${what}`} icon={<LockIcon />} className="hold-dialog">
      <DialogBody>
        <p className="hold-intro">
          Keeps {what} up: scaling down, removing instances and releasing groups refuse {target.kind === 'pool' ? 'its machines' : 'it'}{' '}
          until the hold ends or is released.
        </p>
        <FormGroup label="For">
          <SegmentedControl
            size="small"
            options={holdChoices.map((c) => ({ label: c.label, value: c.id }))}
            value={choice}
            onValueChange={(v) => setChoice(v as HoldChoice)}
            aria-label="How long to hold"
          />
        </FormGroup>
        {choice === 'custom' && (
          <FormGroup label="Until (local time)" labelFor="hold-until">
            <InputGroup id="hold-until" type="datetime-local" value={custom} onValueChange={setCustom} className="hold-until" />
          </FormGroup>
        )}
        <p className="hold-end muted" aria-live="polite">
          {'until' in end ? `Ends ${formatInstant(end.until)}.` : end.problem}
        </p>
        <FormGroup label="Reason" labelFor="hold-reason" labelInfo="(required)">
          <TextArea
            id="hold-reason"
            fill
            autoFocus
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            placeholder="Investigating the failed run of model-train; keep the agents and their sandboxes"
          />
        </FormGroup>
        {set.isError && (
          <Callout intent="danger" icon={<ErrorIcon />} title="The hold was not set" role="alert">
            <ErrorMessage error={set.error} />
          </Callout>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Cancel" onClick={onClose} />
            <ActionButton
              intent="primary"
              icon={<LockIcon />}
              text="Hold"
              loading={set.isPending}
              disabledReason={set.isPending ? 'Setting the hold…' : blocker}
              onClick={submit}
            />
          </>
        }
      />
    </Dialog>
  );
}
