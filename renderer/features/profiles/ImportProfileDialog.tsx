import { Button, Callout, Dialog, DialogBody, DialogFooter, TextArea } from '@blueprintjs/core';
import type { Profile } from '../../../core/contract';
import { profileKeys } from '../../api/keys';
import { useCommand } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { ImportIcon, LogInIcon, TickCircleIcon } from '../../components/icons';
import { TextFilePicker, useTextFile } from '../../components/TextFilePicker';
import { machinesText, poolsText, profileKindLabel } from './format';
import { ProblemsCallout } from './ProblemsCallout';
import './editor.css';

const placeholder = `{
  "name": "cantareira-dev",
  "kind": "mesos",
  "mesos": {"masters": ["http://10.0.0.1:5050", "http://10.0.0.2:5050"]},
  "aurora": {"url": "http://10.0.0.1:8081"},
  "aws": {"profile": "cantareira-dev", "region": "us-east-1", "namePrefix": "cantareira-dev-"},
  "pools": [
    {"name": "mesos-fixed", "kind": "fixed", "instanceTypes": ["m5.2xlarge"], "count": 0},
    {"name": "mesos-on-demand", "kind": "on-demand", "instanceTypes": ["m5.2xlarge"], "count": 0,
     "autoScalingGroup": "cantareira-dev-mesos-on-demand"}
  ]
}`;

interface Props {
  activeId: string | null;
  onOpen: (profile: Profile) => void;
  onClose: () => void;
}

/**
 * Imports a profile file, pasted or read from disk in the page: a new name creates a profile,
 * a known one updates it. A file with problems lists every one of them, and nothing is saved.
 */
export function ImportProfileDialog({ activeId, onOpen, onClose }: Props) {
  const run = useCommand({
    call: 'profiles.import',
    queryKeys: [profileKeys.list()],
    toastErrors: false,
    success: (data) => `${data.created ? 'Created' : 'Updated'} profile ${data.profile.name}`,
    failure: () => 'Could not import the profile',
  });

  const file = useTextFile('a profile file', () => run.reset());
  const { text, fileName, readError } = file;

  const done = run.isSuccess ? run.data : null;

  return (
    <Dialog
      isOpen
      onClose={onClose}
      title="Import a profile file"
      icon={<ImportIcon />}
      className="profile-import"
      canOutsideClickClose={!run.isPending}
    >
      <DialogBody>
        {done ? (
          <Imported profile={done.profile} created={done.created} open={done.profile.id === activeId} />
        ) : (
          <>
            <p className="profile-import-intro">
              Paste a profile file (one JSON object: <code>{'{"name", "kind", "pools", "mesos", "aws"}'}</code>) or load one from disk. A
              profile with the same name is updated.
            </p>
            <TextFilePicker
              label="Profile file"
              fileName={fileName}
              readError={readError}
              onFile={(f) => void file.pick(f)}
              className="profile-import-file"
              nameClassName="muted mono"
              errorClassName="profile-problems"
            />
            <ProblemsCallout title="Nothing was imported" error={run.isError ? run.error : null} />
            <TextArea
              className={run.isError || readError ? 'profile-import-text profile-import-text-short' : 'profile-import-text'}
              aria-label="Profile file text"
              fill
              spellCheck={false}
              placeholder={placeholder}
              value={text}
              onChange={(e) => file.edit(e.currentTarget.value)}
            />
          </>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          done ? (
            <>
              <Button text="Close" onClick={onClose} />
              <ActionButton
                intent="primary"
                icon={<LogInIcon />}
                text="Open it"
                disabledReason={done.profile.id === activeId ? 'It is the open profile' : null}
                onClick={() => {
                  onClose();
                  onOpen(done.profile);
                }}
              />
            </>
          ) : (
            <>
              <Button text="Cancel" onClick={onClose} />
              <ActionButton
                intent="primary"
                icon={<ImportIcon />}
                text="Import"
                loading={run.isPending}
                disabledReason={text.trim() === '' ? 'Paste a profile file or load one first' : null}
                onClick={() => run.mutate(fileName ? { text, fileName } : { text })}
              />
            </>
          )
        }
      />
    </Dialog>
  );
}

function Imported({ profile, created, open }: { profile: Profile; created: boolean; open: boolean }) {
  return (
    <Callout
      intent="success"
      icon={<TickCircleIcon />}
      title={`${created ? 'Created' : 'Updated'} profile ${profile.name}`}
      role="status"
      className="profile-imported"
    >
      <p>
        {created ? 'A new profile' : 'The profile of that name was replaced'}: {profileKindLabel[profile.kind]}, {poolsText(profile)};{' '}
        {machinesText(profile)}.
      </p>
      <p>
        {open
          ? 'It is the open profile: the open session keeps its old settings until it is opened again.'
          : 'Open it to work with its cluster; every screen reloads.'}
      </p>
    </Callout>
  );
}
