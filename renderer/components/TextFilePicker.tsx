import { Button, Callout } from '@blueprintjs/core';
import { useRef, useState } from 'react';
import { ErrorIcon, UploadIcon } from './icons';

const maxBytes = 1024 * 1024;

/**
 * The text of a file the user pastes or loads from disk (read in the page, at most 1 MiB), for
 * the dialogs that submit a JSON file: `what` names it in errors ("a job file").
 */
export function useTextFile(what: string, onPicked: () => void) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setReadError(null);
    onPicked();
    if (file.size > maxBytes) {
      setReadError(`${file.name} is ${Math.ceil(file.size / 1024)} KiB; ${what} may be at most 1 MiB.`);
      return;
    }
    try {
      setText(await file.text());
      setFileName(file.name);
    } catch (e) {
      setReadError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  /** Typed or pasted text: it is no longer the file's. */
  const edit = (next: string) => {
    setText(next);
    setFileName(null);
  };
  return { text, fileName, readError, pick, edit };
}

interface Props {
  /** The file input's accessible name ("Job file"). */
  label: string;
  fileName: string | null;
  readError: string | null;
  onFile: (file: File | undefined) => void;
  className: string;
  nameClassName: string;
  errorClassName: string;
}

/** "Load a file…", the name of what is loaded (or "pasted text"), and why a file could not be read. */
export function TextFilePicker({ label, fileName, readError, onFile, className, nameClassName, errorClassName }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <div className={className}>
        <Button icon={<UploadIcon />} text="Load a file…" onClick={() => input.current?.click()} />
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          className="sr-only"
          aria-label={label}
          tabIndex={-1}
          onChange={(e) => {
            onFile(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }}
        />
        <span className={nameClassName}>{fileName ?? 'pasted text'}</span>
      </div>
      {readError && (
        <Callout intent="danger" icon={<ErrorIcon />} className={errorClassName} role="alert">
          {readError}
        </Callout>
      )}
    </>
  );
}
