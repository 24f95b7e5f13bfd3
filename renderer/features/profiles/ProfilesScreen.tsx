import { Button, NonIdealState, Spinner } from '@blueprintjs/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useProfiles } from '../../api/queries';
import type { SortState } from '../../components/columns';
import { DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { AddIcon, ImportIcon, RefreshIcon } from '../../components/icons';
import { count } from '../agents/format';
import { profileColumns } from './columns';
import type { EditorTarget } from './editorTarget';
import { ConnectionTestDialog } from './ConnectionTestDialog';
import { ImportProfileDialog } from './ImportProfileDialog';
import type { Profile } from '../../../core/contract';
import { OpeningDialog } from './OpeningDialog';
import { useOpenProfile } from './useOpenProfile';
import './profiles.css';

// The editor checks drafts with the contract's schemas, which bring zod: it loads when first opened, not at startup.
const ProfileEditorDialog = lazy(() => import('./ProfileEditorDialog').then((m) => ({ default: m.ProfileEditorDialog })));

/**
 * The cluster profiles: which one is open, what each holds, and the ways to add one (a form,
 * a copy, a profile file). Opening one closes the open one and reloads every screen.
 */
export function ProfilesScreen() {
  const profiles = useProfiles();
  const opening = useOpenProfile();
  const [sort, setSort] = useState<SortState | null>(null);
  const [editor, setEditor] = useState<EditorTarget | null>(null);
  const [importing, setImporting] = useState(false);
  const [testing, setTesting] = useState<Profile | null>(null);

  const activeId = profiles.data?.activeId ?? null;
  const openingId = opening.isPending || opening.isSuccess ? (opening.variables?.id ?? null) : null;
  const open = opening.mutate;
  const columns = useMemo(
    () =>
      profileColumns({
        activeId,
        openingId,
        onOpen: (p) => open(p),
        onEdit: (profile) => setEditor({ kind: 'edit', profile }),
        onCopy: (profile) => setEditor({ kind: 'copy', profile }),
        onTest: (profile) => setTesting(profile),
      }),
    [activeId, openingId, open],
  );

  const list = profiles.data?.profiles ?? [];
  const active = list.find((p) => p.id === activeId) ?? null;

  const body = () => {
    if (profiles.isPending) return <NonIdealState icon={<Spinner size={32} />} title="Loading the profiles…" />;
    if (profiles.isError && !profiles.data) {
      return (
        <ErrorView
          title="Could not load the profiles"
          error={profiles.error}
          onRetry={() => void profiles.refetch()}
          retrying={profiles.isFetching}
        />
      );
    }
    return (
      <DataTable
        label="Profiles"
        rows={list}
        columns={columns}
        rowKey={(p) => p.id}
        rowHeight={34}
        sort={sort}
        onSortChange={setSort}
        empty={
          <NonIdealState
            title="No profiles"
            description="The built-in embedded profile comes back when the console starts."
            layout="horizontal"
          />
        }
      />
    );
  };

  return (
    <section className="profiles" aria-label="Profiles">
      <header className="screen-header">
        <h1 className="screen-title">Profiles</h1>
        <span className="screen-summary" data-testid="profiles-summary">
          {profiles.data && `${count(list.length, 'profile')}${active ? ` · ${active.name} is open` : ''}`}
        </span>
        <span className="screen-asof" />
        <Button size="small" icon={<AddIcon />} text="New profile…" onClick={() => setEditor({ kind: 'new' })} />
        <Button size="small" icon={<ImportIcon />} text="Import profile file…" onClick={() => setImporting(true)} />
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh profiles"
          title="Refresh"
          loading={profiles.isFetching}
          onClick={() => void profiles.refetch()}
        />
      </header>
      <p className="muted profiles-intro">
        A profile names a cluster: its Mesos masters, its Aurora scheduler, its pools and the AWS account they scale in. Opening one closes
        the open one; every screen then shows the new one.
      </p>
      {body()}
      {editor && (
        <Suspense fallback={null}>
          <ProfileEditorDialog target={editor} taken={list.map((p) => p.name)} activeId={activeId} onClose={() => setEditor(null)} />
        </Suspense>
      )}
      {importing && <ImportProfileDialog activeId={activeId} onOpen={(p) => opening.mutate(p)} onClose={() => setImporting(false)} />}
      <OpeningDialog opening={opening} openName={active?.name ?? null} />
      {testing && <ConnectionTestDialog name={testing.name} input={{ id: testing.id }} onClose={() => setTesting(null)} />}
    </section>
  );
}
