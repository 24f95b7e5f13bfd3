import { Button, Callout, NonIdealState, Spinner } from '@blueprintjs/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FileRef, LogLine } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { usePreference } from '../../app/preferences';
import { CopyableText } from '../../components/CopyableText';
import { ErrorView } from '../../components/ErrorView';
import { FilterList } from './FilterList';
import { humanSize } from './format';
import { LogToolbar } from './LogToolbar';
import { LogView } from './LogView';
import { LongLine } from './LongLine';
import { SearchBar } from './SearchBar';
import { useFollow } from './useFollow';
import { useLineIndex } from './useLineIndex';
import { lineAt, useLogWindow, type LogWindow } from './useLogWindow';
import { useSearch, type Match, type SearchQuery } from './useSearch';

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
/** Lines kept on each side of the viewport before the window is fetched again around it. */
const margin = 60;

/** Does the window hold `offset` with room to scroll around it? */
function covers(w: LogWindow, offset: number): boolean {
  const first = w.lines[0];
  const last = w.lines[w.lines.length - 1];
  if (!first || !last) return false;
  if (offset < first.offset || offset > last.offset + last.length) return false;
  const i = lineAt(w.lines, offset);
  return (w.atStart || i >= margin) && (w.atEnd || i <= w.lines.length - margin);
}

/** The viewer of one text file: a bounded window, follow, search, and a link to the place. */
export function LogFile({ file, initialOffset }: { file: FileRef; initialOffset: number | null }) {
  const { win, error, load, append, growTo } = useLogWindow(file);
  const [anchor, setAnchor] = useState(initialOffset ?? 0);
  const [pinned, setPinned] = useState(initialOffset === null);
  const [follow, setFollow] = usePreference('logs.follow', false, isBool);
  const [wrap, setWrap] = usePreference('logs.wrap', false, isBool);
  const [newLines, setNewLines] = useState(0);
  const [reset, setReset] = useState<string | null>(null);
  const [query, setQuery] = useState<SearchQuery | null>(null);
  const [filter, setFilter] = useState(false);
  const [current, setCurrent] = useState(-1);
  const [longLine, setLongLine] = useState<{ line: LogLine; ranges?: Match['ranges'] | undefined } | null>(null);
  const search = useSearch(file, query);
  const index = useLineIndex(file);
  const indexDone = index?.done ?? false;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const winRef = useRef(win);
  winRef.current = win;
  const pinnedRef = useRef(pinned);
  pinnedRef.current = pinned;
  const anchorRef = useRef(anchor);
  anchorRef.current = anchor;

  useEffect(() => {
    void load(initialOffset ?? -1);
    return () => clearTimeout(timer.current);
  }, [load, initialOffset]);

  // Once the line index is built, read the window again so it carries line numbers.
  useEffect(() => {
    const w = winRef.current;
    if (indexDone && w && w.firstLine === null) void load(pinnedRef.current ? -1 : anchorRef.current);
  }, [indexDone, load]);

  const [followFrom, setFollowFrom] = useState<number | null>(null);
  useEffect(() => {
    if (!follow) setFollowFrom(null);
    else if (win && followFrom === null) setFollowFrom(win.atEnd ? win.size : win.size);
  }, [follow, win, followFrom]);

  useFollow(file, follow, followFrom, {
    onLines: (lines) => {
      if (pinnedRef.current) append(lines);
      else {
        setNewLines((n) => n + lines.filter((l) => !l.partial).length);
        const tail = lines[lines.length - 1];
        if (tail) growTo(tail.offset + tail.length);
      }
    },
    onReset: (reason) => {
      if (reason !== 'skipped') setReset(reason);
      setNewLines(0);
      if (pinnedRef.current) void load(-1);
    },
  });

  const toEnd = useCallback(() => {
    setPinned(true);
    setNewLines(0);
    if (!winRef.current?.atEnd || newLines > 0) void load(-1);
  }, [load, newLines]);

  const moveTo = useCallback(
    (offset: number) => {
      setPinned(false);
      setAnchor(offset);
      const w = winRef.current;
      if (w && covers(w, offset)) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void load(offset), 40);
    },
    [load],
  );

  const toLine = useCallback(
    async (n: number) => {
      const w = await load(0, n);
      const at = w && w.firstLine !== null ? w.lines[n - w.firstLine] : undefined;
      setPinned(false);
      setAnchor(at?.offset ?? w?.lines[0]?.offset ?? 0);
    },
    [load],
  );

  const marks = useMemo(() => new Map(search.matches.map((m) => [m.line.offset, m] as const)), [search.matches]);
  const step = (dir: 1 | -1) => {
    const ms = search.matches;
    if (ms.length === 0) return;
    let i = current;
    if (i < 0 || ms[i]?.line.offset !== anchor) {
      const after = ms.findIndex((m) => m.line.offset > anchor);
      i = dir === 1 ? (after < 0 ? 0 : after) : (after < 0 ? ms.length : after) - 1;
      if (ms[i]?.line.offset === anchor) i += dir;
    } else i += dir;
    i = (i + ms.length) % ms.length;
    setCurrent(i);
    setFilter(false);
    const m = ms[i];
    if (m) moveTo(m.line.offset);
  };

  const place = pinned ? (win ? (win.lines[win.lines.length - 1]?.offset ?? 0) : 0) : anchor;
  const link = `${window.location.href.split('#')[0] ?? ''}${hrefs.log(file.taskId, file.path, place)}`;

  return (
    <>
      <LogToolbar
        taskId={file.taskId}
        path={file.path}
        follow={follow}
        live={pinned}
        onFollow={(on) => {
          setFollow(on);
          if (on) toEnd();
        }}
        wrap={wrap}
        onWrap={setWrap}
        onTop={() => moveTo(0)}
        onBottom={toEnd}
        onOffset={moveTo}
        onLine={(n) => void toLine(n)}
        canGoToLine={index !== null}
        lines={indexDone ? (index?.lines ?? null) : null}
      />
      <SearchBar
        search={query ? search : null}
        onSearch={(q) => {
          setQuery(q);
          setCurrent(-1);
          if (!q) setFilter(false);
        }}
        current={current}
        onStep={step}
        filter={filter}
        onFilter={setFilter}
      />
      {reset && (
        <Callout compact intent="warning" className="log-reset">
          The file was {reset} while you watched; reading restarted.{' '}
          <Button size="small" variant="minimal" text="Dismiss" onClick={() => setReset(null)} />
        </Callout>
      )}
      <div className="log-frame">
        {error && !win && (
          <ErrorView title="Could not read the file" error={error} onRetry={() => void load(pinned ? -1 : anchor)} retrying={false} />
        )}
        {!win && !error && <NonIdealState icon={<Spinner size={20} />} title="Reading the end of the file…" />}
        {win && win.lines.length === 0 && win.size === 0 && (
          <div className="log-empty">The file is empty{follow ? '; new lines will appear here.' : '.'}</div>
        )}
        {win && filter && query && <FilterList matches={search.matches} onOpen={(o) => (setFilter(false), moveTo(o))} />}
        {win && !filter && (win.lines.length > 0 || win.size > 0) && (
          <LogView
            win={win}
            anchor={anchor}
            pinned={pinned}
            wrap={wrap}
            marks={marks}
            onMove={(to) => (to === 'end' ? toEnd() : moveTo(to.offset))}
            onLoadRest={(line, ranges) => setLongLine({ line, ranges })}
          />
        )}
        {follow && !pinned && newLines > 0 && (
          <Button
            className="log-new-lines"
            intent="primary"
            size="small"
            onClick={toEnd}
            text={`${newLines.toLocaleString()} new line${newLines === 1 ? '' : 's'} ↓`}
          />
        )}
      </div>
      <footer className="log-footer">
        <span>{win ? humanSize(win.size) : ''}</span>
        <span>{pinned ? (follow ? 'following the end' : 'at the end') : `at byte ${anchor.toLocaleString()}`}</span>
        <CopyableText text={link} label="link to this position" truncate="start" />
      </footer>
      <LongLine file={file} line={longLine?.line ?? null} ranges={longLine?.ranges} onClose={() => setLongLine(null)} />
    </>
  );
}
