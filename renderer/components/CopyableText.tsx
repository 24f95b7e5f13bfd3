import { Button } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { DuplicateIcon, ErrorIcon, TickIcon } from './icons';
import './CopyableText.css';

/**
 * A value people paste into a terminal (a path, a hostname): monospace, selectable, cut with
 * an ellipsis where it must be, whole in its tooltip, with a copy button that says it worked.
 */
export function CopyableText(props: {
  text: string;
  label: string;
  /** Where to cut a value too long for its box (paths keep their distinctive end), or wrap it whole. */
  truncate?: 'end' | 'start' | 'wrap';
}) {
  const { text, label } = props;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    if (copied === null) return;
    const t = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(t);
  }, [copied]);

  const copy = () => {
    // No clipboard API outside a secure context: say so rather than throw.
    const write = navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'));
    write.then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };

  const tip = copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Could not copy: select the text instead' : `Copy ${label}`;
  return (
    <span className="copyable">
      {props.truncate === 'wrap' ? (
        <span className="copyable-text copyable-wrap">{text}</span>
      ) : props.truncate === 'start' ? (
        <span className="copyable-text copyable-cut-start" title={text}>
          <span className="copyable-ltr">{text}</span>
        </span>
      ) : (
        <span className="copyable-text" title={text}>
          {text}
        </span>
      )}
      <Button
        className="copyable-button"
        variant="minimal"
        size="small"
        title={tip}
        aria-label={`Copy ${label}`}
        icon={copied === 'yes' ? <TickIcon /> : copied === 'failed' ? <ErrorIcon /> : <DuplicateIcon />}
        onClick={copy}
      />
    </span>
  );
}
