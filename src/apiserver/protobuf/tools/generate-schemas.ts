/**
 * Developer tool (not used at run time): regenerates `../schemas/*.ts` from checkouts of
 * k8s.io/api and k8s.io/apimachinery (release-1.32).
 *
 *   node dist/src/apiserver/protobuf/tools/generate-schemas.js <k8s.io/api dir> <k8s.io/apimachinery dir> <out dir>
 *
 * Why two sources: field numbers and wire types come from `generated.proto`, but what the JSON
 * looks like (json name, `,inline`, whether a zero scalar is still written) is only in the Go
 * struct tags of `types.go`. We take the closure of the ROOT messages below, so every nested type a
 * root can reach is in the table.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { shortName, WELL_KNOWN } from '../well-known-names.js';

/** Top-level kinds kubectl's typed commands send (plus a few it might), by short proto name. */
const ROOTS = [
  'core.v1.Namespace', 'core.v1.ConfigMap', 'core.v1.Secret', 'core.v1.ServiceAccount', 'core.v1.Service',
  'core.v1.ResourceQuota', 'core.v1.Pod', 'core.v1.PodTemplate', 'core.v1.ReplicationController',
  'core.v1.LimitRange', 'core.v1.PersistentVolumeClaim', 'core.v1.Endpoints', 'core.v1.Binding',
  'apps.v1.Deployment', 'apps.v1.StatefulSet', 'apps.v1.DaemonSet', 'apps.v1.ReplicaSet',
  'batch.v1.Job', 'batch.v1.CronJob',
  'rbac.v1.Role', 'rbac.v1.RoleBinding', 'rbac.v1.ClusterRole', 'rbac.v1.ClusterRoleBinding',
  'autoscaling.v1.Scale', 'autoscaling.v1.HorizontalPodAutoscaler', 'autoscaling.v2.HorizontalPodAutoscaler',
  'networking.v1.Ingress', 'policy.v1.PodDisruptionBudget', 'policy.v1.Eviction',
  'scheduling.v1.PriorityClass', 'authentication.v1.TokenRequest', 'meta.v1.DeleteOptions',
  // kubectl auth can-i / can-i --list / whoami
  'authorization.v1.SelfSubjectAccessReview', 'authorization.v1.SubjectAccessReview',
  'authorization.v1.LocalSubjectAccessReview', 'authorization.v1.SelfSubjectRulesReview',
  'authentication.v1.SelfSubjectReview',
];

/** Short proto package → directory relative to the api (a) or apimachinery (m) checkout. */
const PACKAGE_DIRS: Record<string, ['a' | 'm', string]> = {
  'meta.v1': ['m', 'pkg/apis/meta/v1'],
  'runtime': ['m', 'pkg/runtime'],
  'intstr': ['m', 'pkg/util/intstr'],
  'resource': ['m', 'pkg/api/resource'],
};
for (const p of ['core/v1', 'apps/v1', 'batch/v1', 'rbac/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking/v1',
  'policy/v1', 'scheduling/v1', 'authentication/v1', 'authorization/v1']) PACKAGE_DIRS[p.replace('/', '.')] = ['a', p];

interface ProtoField { num: number; name: string; type: string; repeated: boolean }
interface GoField { jsonName: string; omitempty: boolean; inline: boolean; pointer: boolean }

const SCALARS = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'fixed32', 'fixed64', 'sint32', 'sint64']);

function resolve(type: string, pkg: string): string {
  if (SCALARS.has(type)) return type;
  if (type.startsWith('.')) return shortName(type.slice(1));
  return `${pkg}.${type}`;
}

function parseProto(text: string): Map<string, ProtoField[]> {
  const pkg = shortName(/^package\s+([\w.]+);/m.exec(text)![1]);
  const out = new Map<string, ProtoField[]>();
  let current: ProtoField[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const msg = /^message\s+(\w+)\s*\{/.exec(line);
    if (msg) { current = []; out.set(`${pkg}.${msg[1]}`, current); continue; }
    if (line === '}') { current = undefined; continue; }
    if (!current) continue;
    const map = /^map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)/.exec(line);
    if (map) {
      current.push({ num: +map[4], name: map[3], type: `map<${resolve(map[1], pkg)},${resolve(map[2], pkg)}>`, repeated: false });
      continue;
    }
    const f = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)/.exec(line);
    if (f) current.push({ num: +f[4], name: f[3], type: resolve(f[2], pkg), repeated: f[1] === 'repeated' });
  }
  return out;
}

/** Go struct tags by struct name, then by protobuf field number. */
function parseGo(dir: string): Map<string, Map<number, GoField>> {
  const out = new Map<string, Map<number, GoField>>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.startsWith('zz_') || file.endsWith('.pb.go')) continue;
    let current: Map<number, GoField> | undefined;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const st = /^type\s+(\w+)\s+struct\s*\{/.exec(line);
      if (st) { current = new Map(); out.set(st[1], current); continue; }
      if (/^\}/.test(line)) { current = undefined; continue; }
      if (!current || /^\s*\/\//.test(line)) continue;
      const m = /^\s*(?:(\w+)\s+)?(\S+)\s+`([^`]*)`/.exec(line);
      if (!m) continue;
      const pb = /protobuf:"[^,]*,(\d+)/.exec(m[3]);
      if (!pb) continue;
      const json = /json:"([^"]*)"/.exec(m[3])?.[1] ?? '';
      const [jsonName, ...opts] = json.split(',');
      current.set(+pb[1], {
        jsonName, omitempty: opts.includes('omitempty'), inline: opts.includes('inline'),
        pointer: m[1] !== undefined && m[2].startsWith('*'),
      });
    }
  }
  return out;
}

function main(apiDir: string, machineryDir: string, outDir: string): void {
  const protos = new Map<string, ProtoField[]>();
  const gos = new Map<string, Map<string, Map<number, GoField>>>();
  for (const [pkg, [where, rel]] of Object.entries(PACKAGE_DIRS)) {
    const dir = join(where === 'a' ? apiDir : machineryDir, rel);
    const proto = join(dir, 'generated.proto');
    if (!existsSync(proto)) throw new Error(`missing ${proto}`);
    for (const [k, v] of parseProto(readFileSync(proto, 'utf8'))) protos.set(k, v);
    gos.set(pkg, parseGo(dir));
  }

  // Closure of the roots, well-known types excluded (they have hand-written decoders).
  const needed = new Set<string>();
  const queue = [...ROOTS];
  while (queue.length) {
    const name = queue.pop()!;
    if (needed.has(name) || WELL_KNOWN.has(name)) continue;
    const fields = protos.get(name);
    if (!fields) throw new Error(`no proto message ${name}`);
    needed.add(name);
    for (const f of fields) {
      const m = /^map<([^,]+),(.+)>$/.exec(f.type);
      for (const t of m ? [m[1], m[2]] : [f.type]) if (!SCALARS.has(t)) queue.push(t);
    }
  }

  const byPkg = new Map<string, string[]>();
  for (const name of [...needed].sort()) {
    const pkg = name.slice(0, name.lastIndexOf('.'));
    const msg = name.slice(pkg.length + 1);
    const go = gos.get(pkg)?.get(msg);
    if (!go) console.warn(`no Go struct for ${name}: json names fall back to proto names`);
    const lines = [`  '${name}': {`];
    for (const f of protos.get(name)!) {
      const g = go?.get(f.num);
      if (go && !g) console.warn(`no Go tag for ${name} field ${f.num}`);
      if (g?.jsonName === '-') continue;
      let flags = f.repeated ? 'r' : '';
      if (g?.inline) flags += 'i';
      // A scalar Go writes even when zero: a pointer (`*int32` replicas: 0 means 0, not unset) or no omitempty.
      if (g && (g.pointer || !g.omitempty) && SCALARS.has(f.type) && !f.repeated) flags += 'z';
      // A nil slice/map/pointer without omitempty: Go writes `null` (ClusterRole `rules: null`).
      if (g && !g.omitempty && !g.inline && (f.repeated || f.type.startsWith('map<') || g.pointer)) flags += 'n';
      const jsonName = g?.jsonName || f.name;
      lines.push(`    ${f.num}: ['${jsonName}', '${f.type}'${flags ? `, '${flags}'` : ''}],`);
    }
    lines.push('  },');
    if (!byPkg.has(pkg)) byPkg.set(pkg, []);
    byPkg.get(pkg)!.push(lines.join('\n'));
  }
  const files: string[] = [];
  for (const [pkg, entries] of byPkg) {
    const file = `${pkg.replace('.', '-')}.ts`;
    files.push(file);
    writeFileSync(join(outDir, file), [
      `/** GENERATED by tools/generate-schemas.ts from k8s.io generated.proto + types.go (release-1.32). Do not edit by hand. */`,
      `import type { MessageTable } from '../schema.js';`,
      ``,
      `export const messages: MessageTable = {`,
      ...entries,
      `};`,
      ``,
    ].join('\n'));
  }
  console.log(`wrote ${needed.size} messages in ${files.join(', ')}`);
}

const [apiDir, machineryDir, outDir] = process.argv.slice(2);
if (!apiDir || !machineryDir || !outDir) {
  console.error('usage: generate-schemas <k8s.io/api dir> <k8s.io/apimachinery dir> <out dir>');
  process.exit(2);
}
main(apiDir, machineryDir, outDir);
