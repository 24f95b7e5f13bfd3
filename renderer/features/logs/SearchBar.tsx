import { Button, ButtonGroup, InputGroup, ProgressBar, Switch } from '@blueprintjs/core';
import { useState } from 'react';
import { ChevronDownIcon, ChevronUpIcon, CrossIcon, SearchIcon } from '../../components/icons';
import type { SearchQuery, SearchState } from './useSearch';

export interface SearchBarProps {
  search: (SearchState & { cancel: () => void }) | null;
  onSearch: (q: SearchQuery | null) => void;
  /** Position of the current match among all, 0-based; -1 before jumping. */
  current: number;
  onStep: (direction: 1 | -1) => void;
  filter: boolean;
  onFilter: (on: boolean) => void;
}

/** Search the whole file: literal or regex, case-insensitive, with progress, cancel and stepping. */
export function SearchBar({ search, onSearch, current, onStep, filter, onFilter }: SearchBarProps) {
  const [text, setText] = useState('');
  const [regex, setRegex] = useState(false);
  const [ci, setCi] = useState(true);
  const submit = (next?: Partial<{ regex: boolean; ci: boolean }>) =>
    onSearch(text ? { query: text, mode: (next?.regex ?? regex) ? 'regex' : 'literal', caseInsensitive: next?.ci ?? ci } : null);
  const running = search !== null && !search.done;
  const count = search?.matches.length ?? 0;
  const pct = search && search.size > 0 ? Math.min(1, search.scanned / search.size) : 0;

  return (
    <div className="log-search" role="search" aria-label="Search the file">
      <InputGroup
        size="small"
        leftIcon={<SearchIcon />}
        placeholder={regex ? 'Regex, e.g. Key(Error|Exception)' : 'Search the whole file'}
        value={text}
        aria-label="Search text"
        onValueChange={setText}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            if (search && search.query === text && count > 0) onStep(e.shiftKey ? -1 : 1);
            else submit();
          }
          if (e.key === 'Escape') {
            setText('');
            onSearch(null);
          }
        }}
        rightElement={
          text ? (
            <Button
              variant="minimal"
              size="small"
              icon={<CrossIcon />}
              aria-label="Clear search"
              onClick={() => (setText(''), onSearch(null))}
            />
          ) : undefined
        }
      />
      <Switch
        className="log-switch"
        label="Regex"
        checked={regex}
        onChange={() => {
          setRegex(!regex);
          if (search) submit({ regex: !regex });
        }}
      />
      <Switch
        className="log-switch"
        label="Ignore case"
        checked={ci}
        onChange={() => {
          setCi(!ci);
          if (search) submit({ ci: !ci });
        }}
      />
      {search && (
        <>
          <span className="log-search-count" aria-live="polite">
            {search.error
              ? search.error.message
              : `${current >= 0 ? `${current + 1} of ` : ''}${count.toLocaleString()}${search.done && !search.cancelled ? '' : '+'} match${count === 1 ? '' : 'es'}${search.cancelled ? ' (stopped)' : ''}`}
          </span>
          {running && <ProgressBar className="log-search-progress" value={pct} intent="primary" />}
          {running && <Button size="small" text="Cancel" onClick={search.cancel} />}
          <ButtonGroup>
            <Button size="small" icon={<ChevronUpIcon />} aria-label="Previous match" disabled={count === 0} onClick={() => onStep(-1)} />
            <Button size="small" icon={<ChevronDownIcon />} aria-label="Next match" disabled={count === 0} onClick={() => onStep(1)} />
          </ButtonGroup>
          <Switch className="log-switch" label="Only matching lines" checked={filter} onChange={() => onFilter(!filter)} />
        </>
      )}
    </div>
  );
}
