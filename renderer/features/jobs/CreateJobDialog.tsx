import { Button, Callout, Dialog, DialogBody, DialogFooter, TextArea } from '@blueprintjs/core';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { go, hrefs } from '../../app/links';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AddIcon, ErrorIcon } from '../../components/icons';
import { TextFilePicker, useTextFile } from '../../components/TextFilePicker';

const placeholder = `{"jobs": [{
  "role": "www-data", "environment": "devel", "name": "hello",
  "instances": 1, "service": true,
  "task": {
    "name": "hello",
    "processes": [{"name": "hello", "cmdline": "while true; do echo hello; sleep 5; done"}],
    "resources": {"cpu": 0.1, "ram": 67108864, "disk": 67108864}
  }
}]}`;

/**
 * Creating jobs from an Aurora JSON job file (`aurora job create --read-json` reads the same):
 * pasted, or read from a file in the page. A file with problems lists every one of them, and
 * nothing is created.
 */
export function CreateJobDialog({ profileId, onClose }: { profileId: string; onClose: () => void }) {
  const create = useClusterAction({
    call: 'jobs.create',
    profileId,
    invalidates: ['jobs', 'overview', 'tasks', 'agents'],
    toastErrors: false,
    success: (data) => `Created ${data.created.join(', ')}`,
    failure: () => 'Could not create the jobs',
  });

  const file = useTextFile('a job file', () => create.reset());
  const { text, fileName, readError } = file;

  const submit = () =>
    create.mutate(fileName ? { text, fileName } : { text }, {
      onSuccess: (data) => {
        onClose();
        if (data.created[0]) go(hrefs.job(data.created[0]));
      },
    });

  return (
    <Dialog isOpen onClose={onClose} title="Create job" icon={<AddIcon />} className="create-job-dialog">
      <DialogBody>
        <p className="create-job-intro">
          Paste an Aurora JSON job file (one job, or <code>{'{"jobs": [...]}'}</code>) or load one from disk.
        </p>
        <TextFilePicker
          label="Job file"
          fileName={fileName}
          readError={readError}
          onFile={(f) => void file.pick(f)}
          className="create-job-file"
          nameClassName="muted create-job-filename"
          errorClassName="create-job-error"
        />
        {create.isError && (
          <Callout intent="danger" icon={<ErrorIcon />} className="create-job-error" role="alert" title="Nothing was created">
            <ErrorMessage error={create.error} />
          </Callout>
        )}
        <TextArea
          className={create.isError || readError ? 'create-job-text create-job-text-short' : 'create-job-text'}
          aria-label="Job file text"
          fill
          spellCheck={false}
          placeholder={placeholder}
          value={text}
          onChange={(e) => file.edit(e.currentTarget.value)}
        />
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Cancel" onClick={onClose} />
            <ActionButton
              intent="primary"
              text="Create"
              loading={create.isPending}
              disabledReason={text.trim() === '' ? 'Paste a job file or load one first' : null}
              onClick={submit}
            />
          </>
        }
      />
    </Dialog>
  );
}
