import { FormGroup, InputGroup } from '@blueprintjs/core';
import { useState } from 'react';
import type { PoolView } from '../../../core/contract';
import { AddIcon } from '../../components/icons';
import { ScaleDialog, type Draft } from './ScaleDialog';

/** A specific pool: one instance of a chosen type, with a name people will recognise. */
export function LaunchSpecificDialog({ profileId, pool, onClose }: { profileId: string; pool: PoolView; onClose: () => void }) {
  const [type, setType] = useState(pool.instanceTypes[0] ?? '');
  const [name, setName] = useState('');
  const draft = launchDraft(pool.name, type, name);
  return (
    <ScaleDialog profileId={profileId} title={`Launch an instance in ${pool.name}`} icon={<AddIcon />} draft={draft} onClose={onClose}>
      <div className="scale-form-row">
        <FormGroup
          label="Instance type"
          labelFor="launch-type"
          helperText={`The pool's type: ${pool.instanceTypes.join(', ') || 'none set'}.`}
        >
          <InputGroup id="launch-type" className="mono" value={type} onValueChange={setType} spellCheck={false} list="launch-types" />
          <datalist id="launch-types">
            {pool.instanceTypes.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </FormGroup>
        <FormGroup
          label="Name"
          labelFor="launch-name"
          className="scale-form-grow"
          helperText="Optional; letters, digits, “.”, “_” and “-”. Empty: a name is made up."
        >
          <InputGroup id="launch-name" autoFocus value={name} onValueChange={setName} spellCheck={false} placeholder="made up when empty" />
        </FormGroup>
      </div>
    </ScaleDialog>
  );
}

function launchDraft(pool: string, type: string, name: string): Draft {
  const instanceType = type.trim();
  const trimmed = name.trim();
  if (instanceType === '') return { request: null, problem: 'Choose an instance type' };
  // The name's rules are the contract's; the plan call reports a bad one in its words.
  return { request: { kind: 'launch-specific', pool, instanceType, ...(trimmed ? { name: trimmed } : {}) } };
}
