import { Button, Callout, Dialog, DialogBody, DialogFooter, TextArea } from '@blueprintjs/core';
import { useRef, useState } from 'react';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { go, hrefs } from '../../app/links';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AddIcon, ErrorIcon, UploadIcon } from '../../components/icons';

const maxBytes = 1024 * 1024;

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
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const create = useClusterAction({
    call: 'jobs.create',
    profileId,
    invalidates: ['jobs', 'overview', 'tasks', 'agents'],
    toastErrors: false,
    success: (data) => `Created ${data.created.join(', ')}`,
    failure: () => 'Could not create the jobs',
  });

  const pickFile = async (file: File | undefined) => {
    if (!file) return;
    setReadError(null);
    create.reset();
    if (file.size > maxBytes) {
      setReadError(`${file.name} is ${Math.ceil(file.size / 1024)} KiB; a job file may be at most 1 MiB.`);
      return;
    }
    try {
      setText(await file.text());
      setFileName(file.name);
    } catch (e) {
      setReadError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

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
        <div className="create-job-file">
          <Button icon={<UploadIcon />} text="Load a file…" onClick={() => fileInput.current?.click()} />
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            className="sr-only"
            aria-label="Job file"
            tabIndex={-1}
            onChange={(e) => {
              void pickFile(e.currentTarget.files?.[0]);
              e.currentTarget.value = '';
            }}
          />
          <span className="muted create-job-filename">{fileName ?? 'pasted text'}</span>
        </div>
        {readError && (
          <Callout intent="danger" icon={<ErrorIcon />} className="create-job-error" role="alert">
            {readError}
          </Callout>
        )}
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
          onChange={(e) => {
            setText(e.currentTarget.value);
            setFileName(null);
          }}
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
