import { formatResource, resourceLabel, resourceUnit, usageLevel, usedShare, type ResourceKind } from './resources';
import './ResourceBar.css';

/**
 * Used of total for one resource, as a bar with the numbers on it: "1.25 / 8". Colour turns
 * amber at 75 % and red at 90 %. The bar's width is set through a CSS variable on the element's
 * style object, which the page's CSP allows (it forbids style attributes in markup, not this).
 */
export function ResourceBar(props: { kind: ResourceKind; used: number; total: number; of?: string; showLabel?: boolean }) {
  const { kind, used, total } = props;
  const share = usedShare(used, total);
  const text = `${formatResource(kind, used)} / ${formatResource(kind, total)}`;
  const unit = resourceUnit[kind];
  const name = `${resourceLabel[kind]} used${props.of ? ` on ${props.of}` : ''}`;
  return (
    <span className={`rbar rbar-${usageLevel(share)}`} title={`${name}: ${text} ${unit} (${Math.round(share * 100)} %)`}>
      {props.showLabel && <span className="rbar-label">{resourceLabel[kind]}</span>}
      <span
        className="rbar-track"
        role="meter"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={used}
        aria-valuetext={`${text} ${unit}`}
        style={{ ['--rbar-fill' as string]: `${share * 100}%` }}
      >
        <span className="rbar-fill" />
      </span>
      <span className="rbar-text">{text}</span>
      {props.showLabel && <span className="rbar-unit muted">{unit}</span>}
    </span>
  );
}
