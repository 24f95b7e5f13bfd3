import { FormGroup, InputGroup, SegmentedControl, Switch } from '@blueprintjs/core';
import type { ProfileForm, ProfileKind } from './draft';

interface Props {
  form: ProfileForm;
  /** Fields the last problems named (`name`, `aws.region`), drawn in red. */
  marked: ReadonlySet<string>;
  onChange: (patch: Partial<ProfileForm>) => void;
}

/** The profile itself: its name, what kind of cluster it is, and the AWS account it scales in. */
export function ProfileFields({ form, marked, onChange }: Props) {
  return (
    <div className="profile-fields">
      <div className="profile-fields-row">
        <FormGroup label="Name" labelFor="profile-name" helperText="Lower-case letters, digits, “.”, “_” and “-”.">
          <InputGroup
            id="profile-name"
            intent={marked.has('name') ? 'danger' : 'none'}
            className="mono"
            value={form.name}
            onValueChange={(name) => onChange({ name })}
            spellCheck={false}
            placeholder="cantareira-dev"
          />
        </FormGroup>
        <FormGroup label="Kind">
          <SegmentedControl
            size="small"
            aria-label="Kind of cluster"
            options={[
              { label: 'Embedded cluster', value: 'embedded' },
              { label: 'Mesos cluster', value: 'mesos' },
            ]}
            value={form.kind}
            onValueChange={(kind) => onChange({ kind: kind as ProfileKind })}
          />
        </FormGroup>
      </div>
      {form.kind === 'embedded' ? (
        <p className="muted profile-fields-note">
          The embedded cluster runs its agents on this computer and scales its own local machines: it has no AWS account.
        </p>
      ) : (
        <>
          <FormGroup
            label="Mesos masters"
            labelFor="profile-masters"
            helperText="Every master, comma separated (http://10.0.0.1:5050, …); the console finds the leader among them."
          >
            <InputGroup
              id="profile-masters"
              intent={[...marked].some((m) => m.startsWith('mesos.masters')) ? 'danger' : 'none'}
              className="mono"
              value={form.masters}
              onValueChange={(masters) => onChange({ masters })}
              spellCheck={false}
              placeholder="http://10.0.0.1:5050, http://10.0.0.2:5050"
            />
          </FormGroup>
          <div className="profile-fields-row">
            <FormGroup
              label="Aurora scheduler"
              labelFor="profile-aurora"
              helperText="Any scheduler; a non-leader redirects to the leader. Empty: jobs are not read."
              className="profile-fields-grow"
            >
              <InputGroup
                id="profile-aurora"
                intent={[...marked].some((m) => m.startsWith('aurora')) ? 'danger' : 'none'}
                className="mono"
                value={form.aurora}
                onValueChange={(aurora) => onChange({ aurora })}
                spellCheck={false}
                placeholder="http://10.0.0.1:8081"
              />
            </FormGroup>
            <FormGroup label="Thermos observer port" labelFor="profile-observer" helperText="On each agent; empty: 1338.">
              <InputGroup
                id="profile-observer"
                intent={marked.has('mesos.observerPort') ? 'danger' : 'none'}
                className="mono"
                value={form.observerPort}
                onValueChange={(observerPort) => onChange({ observerPort })}
                spellCheck={false}
                placeholder="1338"
              />
            </FormGroup>
          </div>
          <Switch
            className="profile-aurora-netrc"
            checked={form.auroraNetrc}
            disabled={form.aurora.trim() === ''}
            onChange={(e) => onChange({ auroraNetrc: e.currentTarget.checked })}
            label="Kill and restart with the credentials for the scheduler's host in ~/.netrc (as the Aurora CLI does)"
          />
          <AwsFields form={form} marked={marked} onChange={onChange} />
        </>
      )}
    </div>
  );
}

function AwsFields({ form, marked, onChange }: Props) {
  const off = !form.useAws;
  return (
    <fieldset className="profile-aws">
      <legend>
        <Switch
          className="profile-aws-switch"
          checked={form.useAws}
          onChange={(e) => onChange({ useAws: e.currentTarget.checked })}
          label="Scales through an AWS account"
        />
      </legend>
      <div className="profile-fields-row">
        <FormGroup
          label="AWS profile"
          labelFor="profile-aws-profile"
          helperText="A profile of ~/.aws/config; empty: the default credential chain."
          disabled={off}
        >
          <InputGroup
            id="profile-aws-profile"
            intent={marked.has('aws.profile') ? 'danger' : 'none'}
            value={form.awsProfile}
            onValueChange={(awsProfile) => onChange({ awsProfile })}
            disabled={off}
            spellCheck={false}
            placeholder="default chain"
          />
        </FormGroup>
        <FormGroup label="Region" labelFor="profile-region" helperText="Empty: the AWS profile's region." disabled={off}>
          <InputGroup
            id="profile-region"
            intent={marked.has('aws.region') ? 'danger' : 'none'}
            className="mono"
            value={form.region}
            onValueChange={(region) => onChange({ region })}
            disabled={off}
            spellCheck={false}
            placeholder="us-east-1"
          />
        </FormGroup>
        <FormGroup
          label="Endpoint"
          labelFor="profile-endpoint"
          labelInfo="(emulator only)"
          helperText="For an AWS emulator such as moto; leave empty for a real account."
          className="profile-fields-grow"
          disabled={off}
        >
          <InputGroup
            id="profile-endpoint"
            intent={marked.has('aws.endpoint') ? 'danger' : 'none'}
            className="mono"
            value={form.endpoint}
            onValueChange={(endpoint) => onChange({ endpoint })}
            disabled={off}
            spellCheck={false}
            placeholder="http://127.0.0.1:5000"
          />
        </FormGroup>
      </div>
      <FormGroup
        label="Instance Name-tag prefix"
        labelFor="profile-name-prefix"
        helperText={`Instances are named <prefix><pool>-…; empty: “${form.name.trim() || '<profile name>'}-”.`}
        disabled={off}
      >
        <InputGroup
          id="profile-name-prefix"
          intent={marked.has('aws.namePrefix') ? 'danger' : 'none'}
          className="mono"
          value={form.namePrefix}
          onValueChange={(namePrefix) => onChange({ namePrefix })}
          disabled={off}
          spellCheck={false}
          placeholder="cantareira-dev-"
        />
      </FormGroup>
    </fieldset>
  );
}
