import { AnchorButton, Button, ButtonGroup, InputGroup, Switch } from '@blueprintjs/core';
import { useState } from 'react';
import { hrefs } from '../../app/links';
import { DoubleChevronDownIcon, DoubleChevronUpIcon } from '../../components/icons';
import { parseProcessLog, processLogPath } from './format';

export interface LogToolbarProps {
  taskId: string;
  path: string;
  follow: boolean;
  /** Following and showing the end (not scrolled up). */
  live: boolean;
  onFollow: (on: boolean) => void;
  wrap: boolean;
  onWrap: (on: boolean) => void;
  onTop: () => void;
  onBottom: () => void;
  onOffset: (offset: number) => void;
  /** Goto-line, when the backend's line index can answer it. */
  onLine: (line: number) => void;
  /**
   * Goto-line is offered: the line index exists, complete or not. The backend answers a line as
   * soon as its index covers it, and lines a growing file gained since by scanning on.
   */
  canGoToLine: boolean;
  /** Lines in the file, once the line index is complete (shown as a hint). */
  lines: number | null;
}

/** stdout/stderr of the same Thermos run, movement, follow and wrap. */
export function LogToolbar(p: LogToolbarProps) {
  const [to, setTo] = useState('');
  const proc = parseProcessLog(p.path);
  const jump = () => {
    const v = to.trim();
    if (/^\d+$/.test(v)) p.onOffset(Number(v));
    else if (/^:\d+$/.test(v) && p.canGoToLine) p.onLine(Math.max(1, Number(v.slice(1))));
  };
  return (
    <div className="log-toolbar">
      {proc && (
        <ButtonGroup aria-label="Stream">
          {(['stdout', 'stderr'] as const).map((s) => (
            <AnchorButton
              key={s}
              size="small"
              text={s}
              active={proc.stream === s}
              href={hrefs.log(p.taskId, processLogPath({ ...proc, stream: s }))}
            />
          ))}
        </ButtonGroup>
      )}
      <ButtonGroup>
        <Button size="small" icon={<DoubleChevronUpIcon />} text="Top" onClick={p.onTop} />
        <Button size="small" icon={<DoubleChevronDownIcon />} text="Bottom" onClick={p.onBottom} />
      </ButtonGroup>
      <InputGroup
        size="small"
        className="log-goto"
        placeholder={
          !p.canGoToLine
            ? 'byte offset'
            : p.lines === null
              ? 'byte offset, or :line'
              : `byte offset, or :line (of ${p.lines.toLocaleString()})`
        }
        aria-label="Go to byte offset or :line"
        value={to}
        onValueChange={setTo}
        onKeyDown={(e) => e.key === 'Enter' && jump()}
      />
      <Switch
        className="log-switch"
        label={p.follow && !p.live ? 'Follow (paused)' : 'Follow'}
        checked={p.follow}
        onChange={() => p.onFollow(!p.follow)}
      />
      <Switch className="log-switch" label="Wrap" checked={p.wrap} onChange={() => p.onWrap(!p.wrap)} />
    </div>
  );
}
