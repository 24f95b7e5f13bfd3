import { TextArea } from '@blueprintjs/core';

/** The same draft as JSON, for pasting or reading a whole profile at once. */
export function ProfileJsonEditor({ text, onChange, problem }: { text: string; onChange: (text: string) => void; problem: string | null }) {
  return (
    <div className="profile-json">
      <p className="muted profile-json-intro">
        The profile as a profile file holds it: <code>{'{"name", "kind", "pools", "mesos", "aws"}'}</code>. Paste a whole profile here, or
        edit it; Save takes what is on this tab.
      </p>
      <TextArea
        className="profile-json-text"
        aria-label="Profile JSON"
        fill
        spellCheck={false}
        value={text}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {problem && (
        <p className="profile-json-problem" role="alert">
          The form cannot show this yet: {problem}
        </p>
      )}
    </div>
  );
}
