/**
 * kube's hand-written validation for the pod-template workloads (apps/v1 and batch/v1
 * ValidateDeployment/StatefulSet/DaemonSet/Job, ValidatePodTemplateSpec) where the schema cannot
 * say it: the selector must select the template's labels, every container needs an image, a Job's
 * pods cannot restart Always. A Go object always has its `spec`, so a write that removed it
 * (strategic merge `{"$patch":"delete"}`) is judged as an empty spec, as kube judges it.
 */
import type { FieldError } from '../../errors/status.js';
import { goSyntax } from '../../errors/status.js';
import { labelSelectorFromSpec, type LabelSelectorSpec } from '../../machinery/labels.js';
import type { KubeObject } from '../../storage/types.js';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's %#v of a map[string]string, as field.Invalid prints template labels. */
function stringMapText(m: Record<string, string> | undefined): string {
  if (!m || !Object.keys(m).length) return 'map[string]string(nil)';
  return goSyntax(m).replace(/^map\[string\]interface \{\}/, 'map[string]string');
}

export interface TemplateOwnerRules {
  /** `deployment`, `statefulset`, … as kube names it in "empty selector is invalid for …". */
  kind: string;
  /** Jobs generate their selector; the check runs only when it is manual. */
  selectorOptional?: boolean;
  /** Job pods: restartPolicy must be OnFailure or Never. */
  jobRestartPolicy?: boolean;
}

export function validateTemplateOwner(o: KubeObject, rules: TemplateOwnerRules): FieldError[] {
  const errs: FieldError[] = [];
  const spec: Obj = isObj(o.spec) ? o.spec : {};
  if (!isObj(o.spec)) {
    if (!rules.selectorOptional) errs.push({ type: 'FieldValueRequired', field: 'spec.selector', detail: '' });
    errs.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers', detail: '' });
    return errs;
  }
  const template: Obj = isObj(spec.template) ? spec.template : {};
  const labels = isObj(template.metadata) && isObj(template.metadata.labels) ? template.metadata.labels as Record<string, string> : undefined;
  const sel = spec.selector;
  if (isObj(sel) && !(rules.selectorOptional && spec.manualSelector !== true)) {
    const empty = !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
    if (empty) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: sel, detail: `empty selector is invalid for ${rules.kind}` });
    } else {
      let matches = false;
      try { matches = labelSelectorFromSpec(sel as LabelSelectorSpec).matches(labels ?? {}); } catch { /* the schema reports a bad operator */ }
      if (!matches) {
        errs.push({
          type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', value: labels,
          valueText: stringMapText(labels), detail: '`selector` does not match template `labels`',
        });
      }
    }
  }
  if (isObj(spec.template)) {
    const podSpec: Obj = isObj(template.spec) ? template.spec : {};
    const containers = podSpec.containers;
    if (!Array.isArray(containers) || containers.length === 0) {
      errs.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers', detail: '' });
    }
    for (const list of ['containers', 'initContainers']) {
      const cs = podSpec[list];
      if (!Array.isArray(cs)) continue;
      cs.forEach((c, i) => {
        if (isObj(c) && (typeof c.image !== 'string' || c.image.trim() === '')) {
          errs.push({ type: 'FieldValueRequired', field: `spec.template.spec.${list}[${i}].image`, detail: '' });
        }
      });
    }
    if (rules.jobRestartPolicy && podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== 'OnFailure' && podSpec.restartPolicy !== 'Never') {
      errs.push({ type: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', value: podSpec.restartPolicy, detail: 'supported values: "OnFailure", "Never"' });
    }
  }
  return errs;
}
