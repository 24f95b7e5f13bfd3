import { FormGroup, InputGroup, NumericInput } from '@blueprintjs/core';
import { useState } from 'react';
import type { PoolView } from '../../../core/contract';
import { AddIcon } from '../../components/icons';
import { ScaleDialog, type Draft } from './ScaleDialog';

/** A spot pool grows by whole groups: N nodes of compatible types, started together. */
export function SpotGroupDialog({ profileId, pool, onClose }: { profileId: string; pool: PoolView; onClose: () => void }) {
  const [countText, setCountText] = useState('1');
  const [typesText, setTypesText] = useState(pool.instanceTypes.join(', '));
  const draft = spotDraft(pool.name, countText, typesText);
  return (
    <ScaleDialog profileId={profileId} title={`New spot group in ${pool.name}`} icon={<AddIcon />} draft={draft} onClose={onClose}>
      <div className="scale-form-row">
        <FormGroup label="Nodes" labelFor="spot-count">
          <NumericInput
            id="spot-count"
            autoFocus
            selectAllOnFocus
            min={1}
            max={1000}
            clampValueOnBlur={false}
            allowNumericCharactersOnly
            value={countText}
            onValueChange={(_n, s) => setCountText(s)}
            aria-label="Nodes in the new group"
          />
        </FormGroup>
        <FormGroup
          label="Instance types"
          labelFor="spot-types"
          className="scale-form-grow"
          helperText="Comma-separated; all of one series, generation, size and CPU architecture (m5.2xlarge, m5n.2xlarge)."
        >
          <InputGroup
            id="spot-types"
            className="mono"
            value={typesText}
            onValueChange={setTypesText}
            spellCheck={false}
            aria-label="Instance types of the new group"
          />
        </FormGroup>
      </div>
    </ScaleDialog>
  );
}

function spotDraft(pool: string, countText: string, typesText: string): Draft {
  const n = Number(countText.trim());
  if (countText.trim() === '' || !Number.isInteger(n) || n < 1 || n > 1000)
    return { request: null, problem: 'Enter a whole number of nodes, 1 to 1000' };
  const instanceTypes = [
    ...new Set(
      typesText
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (instanceTypes.length === 0) return { request: null, problem: 'Name at least one instance type' };
  return { request: { kind: 'create-spot-group', pool, count: n, instanceTypes } };
}
