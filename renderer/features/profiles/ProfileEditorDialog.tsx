import { Button, Dialog, DialogBody, DialogFooter, Tab, Tabs } from '@blueprintjs/core';
import { useState } from 'react';
import { profileKeys } from '../../api/keys';
import { useCommand } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { ConnectionTestDialog } from './ConnectionTestDialog';
import type { ProfileDraft } from '../../../core/contract';
import { EditIcon, FloppyDiskIcon, PulseIcon } from '../../components/icons';
import { checkDraft, fieldsNamed, invalidDraft, prettyJson, toDraft, type ProfileForm } from './draft';
import { editorStart, type EditorTarget } from './editorTarget';
import { formOfJson } from './json';
import { PoolsEditor } from './PoolsEditor';
import { ProblemsCallout } from './ProblemsCallout';
import { ProfileFields } from './ProfileFields';
import { ProfileJsonEditor } from './ProfileJsonEditor';
import './editor.css';

type View = 'form' | 'json';

interface Props {
  target: EditorTarget;
  /** Names of the saved profiles (a copy gets a free one). */
  taken: readonly string[];
  activeId: string | null;
  onClose: () => void;
}

/**
 * Creates or changes a profile: its fields and pools as a form, or the same draft as JSON.
 * Save checks the draft against the contract first, then the host checks what only it can
 * (compatible spot types, a name already taken); either way every problem is listed here and
 * the dialog stays open.
 */
export function ProfileEditorDialog({ target, taken, activeId, onClose }: Props) {
  const [start] = useState(() => editorStart(target, taken));
  const [form, setForm] = useState<ProfileForm>(start.form);
  const [view, setView] = useState<View>('form');
  const [json, setJson] = useState('');
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [testing, setTesting] = useState<ProfileDraft | null>(null);

  const save = useCommand({
    call: 'profiles.save',
    queryKeys: [profileKeys.list()],
    toastErrors: false,
    success: (data) =>
      data.profile.id === activeId
        ? `Saved ${data.profile.name}; the open session keeps its old settings until the profile is opened again`
        : `${start.id === null ? 'Created' : 'Saved'} profile ${data.profile.name}`,
    failure: () => 'Could not save the profile',
  });

  const checked = check(view, form, json);
  const problem = tried && checked.problems ? invalidDraft(checked.problems) : save.isError ? save.error : null;
  const marked = fieldsNamed(problem?.details ?? []);

  const switchTo = (next: View) => {
    if (next === view) return;
    if (next === 'json') {
      setJson(prettyJson(toDraft(form)));
      setView('json');
      return;
    }
    const back = formOfJson(json);
    if (back.problem !== undefined) return setJsonProblem(back.problem);
    setJsonProblem(null);
    setForm(back.form);
    setView('form');
  };

  const submit = () => {
    setTried(true);
    save.reset();
    if (!checked.draft) return;
    save.mutate({ ...(start.id === null ? {} : { id: start.id }), profile: checked.draft }, { onSuccess: onClose });
  };

  return (
    <Dialog isOpen onClose={onClose} title={start.title} icon={<EditIcon />} className="profile-editor" canOutsideClickClose={false}>
      <DialogBody>
        <Tabs id="profile-editor-view" selectedTabId={view} onChange={(id) => switchTo(id as View)} className="profile-editor-tabs">
          <Tab id="form" title="Form" />
          <Tab id="json" title="JSON" />
        </Tabs>
        <ProblemsCallout title="Not saved" error={problem} />
        {view === 'form' ? (
          <>
            <ProfileFields form={form} marked={marked} onChange={(patch) => setForm({ ...form, ...patch })} />
            <PoolsEditor form={form} profileId={start.id} marked={marked} onChange={(pools) => setForm({ ...form, pools })} />
          </>
        ) : (
          <ProfileJsonEditor
            text={json}
            onChange={(text) => {
              setJson(text);
              setJsonProblem(null);
            }}
            problem={jsonProblem}
          />
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Cancel" onClick={onClose} />
            <ActionButton
              icon={<PulseIcon />}
              text="Test connection…"
              disabledReason={
                checked.draft
                  ? checked.draft.kind === 'embedded'
                    ? 'The embedded cluster has nothing to connect to'
                    : null
                  : 'Fix the fields first'
              }
              onClick={() => checked.draft && setTesting(checked.draft)}
            />
            <ActionButton
              intent="primary"
              icon={<FloppyDiskIcon />}
              text="Save"
              loading={save.isPending}
              disabledReason={save.isPending ? 'Saving…' : null}
              onClick={submit}
            />
          </>
        }
      >
        {start.id === null ? <span className="muted">A new profile; it is not opened until you open it.</span> : null}
      </DialogFooter>
      {testing && <ConnectionTestDialog name={testing.name} input={{ profile: testing }} onClose={() => setTesting(null)} />}
    </Dialog>
  );
}

/** The draft the current tab holds, checked against the contract. */
function check(view: View, form: ProfileForm, json: string): ReturnType<typeof checkDraft> {
  if (view === 'form') return checkDraft(toDraft(form));
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return { problems: [`(the JSON): ${e instanceof Error ? e.message : String(e)}`] };
  }
  return checkDraft(raw);
}
