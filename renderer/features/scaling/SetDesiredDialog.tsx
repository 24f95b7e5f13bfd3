import { FormGroup, NumericInput } from '@blueprintjs/core';
import { useState } from 'react';
import type { PoolView } from '../../../core/contract';
import { ArrowsVerticalIcon } from '../../components/icons';
import { ScaleDialog, type Draft } from './ScaleDialog';

/** An on-demand pool: how many nodes it should have. Lowering it plans which nodes go. */
export function SetDesiredDialog({ profileId, pool, onClose }: { profileId: string; pool: PoolView; onClose: () => void }) {
  const now = pool.desired ?? pool.instances;
  const [text, setText] = useState(String(now));
  const draft = countDraft(pool.name, text);
  const limits = pool.min !== null && pool.max !== null ? `; the group allows ${pool.min} to ${pool.max}` : '';
  return (
    <ScaleDialog profileId={profileId} title={`Scale ${pool.name}`} icon={<ArrowsVerticalIcon />} draft={draft} onClose={onClose}>
      <FormGroup label="Nodes" labelFor="scale-count" helperText={`Now ${now}${limits}.`}>
        <NumericInput
          id="scale-count"
          autoFocus
          selectAllOnFocus
          min={0}
          max={pool.max ?? 1000}
          clampValueOnBlur={false}
          allowNumericCharactersOnly
          value={text}
          onValueChange={(_n, s) => setText(s)}
          aria-label={`Nodes in ${pool.name}`}
        />
      </FormGroup>
    </ScaleDialog>
  );
}

function countDraft(pool: string, text: string): Draft {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 1000)
    return { request: null, problem: 'Enter a whole number of nodes, 0 to 1000' };
  return { request: { kind: 'set-desired', pool, count: n } };
}
