import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { ROOT } from '../support/processes';

/**
 * The deployment artefacts (deploy/), checked without a cluster, a registry or an image build: every Kubernetes
 * manifest against the Kubernetes JSON schemas (kubernetes-models), the wiring between them (Services, probes,
 * autoscalers, Secrets, ConfigMap keys, images), the production overlay as kustomize renders it, and every
 * Dockerfile for a multi-stage build, a pinned base image, a non-root user and a health check.
 */

const DEPLOY = join(ROOT, 'deploy');
const K8S = join(DEPLOY, 'k8s');
const DOCKER = join(DEPLOY, 'docker');

const SUBGRAPHS = { identity: 4101, counterparties: 4102, documents: 4103, deals: 4104, finance: 4105, mailings: 4106 } as const;
const WORKLOADS = { ...SUBGRAPHS, gateway: 4000, portal: 8080 } as const;
type Workload = keyof typeof WORKLOADS;

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };

const MODELS: Record<string, new (data: any) => { validate: () => void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

function readYaml(file: string): any[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const document of documents) if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
  return documents.map((document) => document.toJS()).filter((value) => value !== null);
}

/** Schema-checks one manifest; returns the problem (null: valid). */
function schemaProblem(manifest: Manifest): string | null {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) return `no schema known for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new Model(manifest).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

type Kustomization = { namespace?: string; resources?: string[]; patches?: { path: string }[]; images?: { name: string; newName?: string; newTag?: string }[]; labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[] };
const SUPPORTED_KUSTOMIZATION_KEYS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'images', 'labels']);

/**
 * Renders a kustomization the way `kubectl kustomize` does for the few features these files use (resources,
 * namespace, labels, images, strategic-merge patches of ConfigMap data). Any other feature fails the test, so
 * this renderer can never silently differ from kustomize.
 */
function renderKustomization(dir: string): Manifest[] {
  const [kustomization] = readYaml(join(dir, 'kustomization.yaml')) as Kustomization[];
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED_KUSTOMIZATION_KEYS.has(key));
  if (unsupported.length) throw new Error(`${dir}: kustomization uses ${unsupported.join(', ')}, which this check does not render`);
  let manifests: Manifest[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    if (!existsSync(path)) throw new Error(`${dir}: resource ${resource} does not exist`);
    manifests.push(...(existsSync(join(path, 'kustomization.yaml')) ? renderKustomization(path) : (readYaml(path) as Manifest[])));
  }
  for (const { path } of kustomization.patches ?? []) {
    for (const patch of readYaml(join(dir, path)) as Manifest[]) {
      const target = manifests.find((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (!target) throw new Error(`${dir}: patch ${path} targets ${patch.kind}/${patch.metadata.name}, which no resource defines`);
      if (patch.kind !== 'ConfigMap' || Object.keys(patch).some((key) => !['apiVersion', 'kind', 'metadata', 'data'].includes(key))) throw new Error(`${dir}: patch ${path} is more than ConfigMap data`);
      target.data = { ...target.data, ...patch.data };
    }
  }
  for (const { pairs, includeTemplates } of kustomization.labels ?? []) {
    manifests = manifests.map((m) => ({ ...m, metadata: { ...m.metadata, labels: { ...m.metadata.labels, ...pairs } } }));
    if (includeTemplates) for (const m of manifests.filter((m) => m.kind === 'Deployment')) m.spec.template.metadata.labels = { ...m.spec.template.metadata.labels, ...pairs };
  }
  if (kustomization.namespace) manifests = manifests.map((m) => ({ ...m, metadata: { ...m.metadata, namespace: kustomization.namespace } }));
  for (const image of kustomization.images ?? []) {
    let used = false;
    for (const container of manifests.filter((m) => m.kind === 'Deployment').flatMap((m) => [...(m.spec.template.spec.initContainers ?? []), ...m.spec.template.spec.containers])) {
      const [name, tag] = String(container.image).split(':');
      if (name !== image.name) continue;
      used = true;
      container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
    }
    if (!used) throw new Error(`${dir}: image ${image.name} is used by no container`);
  }
  return manifests;
}

const base = renderKustomization(join(K8S, 'base'));
const production = renderKustomization(join(K8S, 'overlays', 'production'));
const secretsExample = readYaml(join(K8S, 'secrets.example.yaml')) as Manifest[];

const find = (manifests: Manifest[], kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const containersOf = (deployment: Manifest): any[] => [...(deployment.spec.template.spec.initContainers ?? []), ...deployment.spec.template.spec.containers];
const envOf = (container: any): Record<string, any> => Object.fromEntries((container.env ?? []).map((entry: any) => [entry.name, entry]));

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('are valid against the Kubernetes schemas: the base, the production overlay and the Secrets example', () => {
    const all = [...base, ...production, ...secretsExample];
    const problems = all.map((m) => [`${m.kind}/${m.metadata?.name}`, schemaProblem(m)]).filter(([, problem]) => problem);
    expect(problems).toEqual([]);
    // the schema check itself rejects a wrong type (it is not a no-op)
    const broken = JSON.parse(JSON.stringify(find(base, 'Deployment', 'deals')));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemaProblem(broken)).toMatch(/containerPort/);
  });

  it('give every workload a Deployment, a Service on its port, and a CPU autoscaler', () => {
    for (const [name, port] of Object.entries(WORKLOADS) as [Workload, number][]) {
      const deployment = find(base, 'Deployment', name);
      const podLabels = deployment.spec.template.metadata.labels;
      expect(Object.entries(deployment.spec.selector.matchLabels).every(([key, value]) => podLabels[key] === value)).toBe(true);
      const container = deployment.spec.template.spec.containers[0];
      expect(container.image).toBe(`kartoteka/${name}:0.1.0`);
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(envOf(container)[name === 'portal' ? 'PORTAL_PORT' : 'PORT']?.value).toBe(String(port));
      expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });

      const service = find(base, 'Service', name);
      expect(Object.entries(service.spec.selector).every(([key, value]) => podLabels[key] === value)).toBe(true);
      expect(service.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);

      const hpa = find(base, 'HorizontalPodAutoscaler', name);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } }]);
      // utilisation is relative to the request: without one the autoscaler cannot work
      expect(container.resources.requests.cpu).toBeTruthy();
    }
  });

  it('probe readiness on /health/ready and liveness on /health/live (the portal: its page)', () => {
    for (const name of Object.keys(WORKLOADS) as Workload[]) {
      const container = find(base, 'Deployment', name).spec.template.spec.containers[0];
      const [ready, live] = name === 'portal' ? ['/', '/'] : ['/health/ready', '/health/live'];
      expect(container.readinessProbe.httpGet).toEqual({ path: ready, port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: live, port: 'http' });
    }
  });

  it('run every container as a non-root user with a read-only root file system', () => {
    for (const name of Object.keys(WORKLOADS) as Workload[]) {
      const deployment = find(base, 'Deployment', name);
      expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
      for (const container of containersOf(deployment)) {
        expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
  });

  it('migrate each subgraph with its own image before it starts, with the same settings', () => {
    for (const name of Object.keys(SUBGRAPHS)) {
      const deployment = find(base, 'Deployment', name);
      const [migrate, seed] = deployment.spec.template.spec.initContainers;
      const main = deployment.spec.template.spec.containers[0];
      expect(migrate).toMatchObject({ name: 'migrate', image: main.image, command: ['node', 'dist/cli/migration.js', 'migration:up'] });
      expect(seed).toMatchObject({ name: 'seed', image: main.image, command: ['node', 'dist/cli/seed.js'] });
      expect(migrate.env).toEqual(main.env);
      expect(seed.env).toEqual(main.env);
      // the command the image runs exists in the service
      expect(existsSync(join(ROOT, 'services', name, 'src', 'cli', 'migration.ts'))).toBe(true);
      expect(existsSync(join(ROOT, 'services', name, 'src', 'cli', 'seed.ts'))).toBe(true);
    }
  });

  it('give each subgraph its own database and gateway secret, and the gateway exactly those secrets and URLs', () => {
    const gatewayEnv = envOf(find(base, 'Deployment', 'gateway').spec.template.spec.containers[0]);
    for (const [name, port] of Object.entries(SUBGRAPHS)) {
      const env = envOf(find(base, 'Deployment', name).spec.template.spec.containers[0]);
      expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({ name: `kartoteka-${name}`, key: 'DATABASE_URL' });
      expect(env.GATEWAY_SECRET.valueFrom.secretKeyRef).toEqual({ name: `kartoteka-${name}`, key: 'GATEWAY_SECRET' });
      expect(env.EVENT_BUS_URL.valueFrom.secretKeyRef).toEqual({ name: 'kartoteka-event-bus', key: 'EVENT_BUS_URL' });
      expect(env.HOST.value).toBe('0.0.0.0');
      const key = name.toUpperCase();
      expect(gatewayEnv[`${key}_SECRET`].valueFrom.secretKeyRef).toEqual({ name: `kartoteka-${name}`, key: 'GATEWAY_SECRET' });
      expect(gatewayEnv[`${key}_URL`].value).toBe(`http://${name}:${port}/graphql`);
    }
    // the JWT secret: identity signs, the gateway verifies, no one else has it
    for (const name of Object.keys(WORKLOADS) as Workload[]) {
      const env = envOf(find(base, 'Deployment', name).spec.template.spec.containers[0]);
      if (name === 'identity' || name === 'gateway') expect(env.JWT_SECRET.valueFrom.secretKeyRef).toEqual({ name: 'kartoteka-jwt', key: 'JWT_SECRET' });
      else expect(env.JWT_SECRET).toBeUndefined();
    }
    // S3 and SMTP go to the documents service only
    const documents = envOf(find(base, 'Deployment', 'documents').spec.template.spec.containers[0]);
    expect(documents.S3_SECRET_ACCESS_KEY.valueFrom.secretKeyRef).toEqual({ name: 'kartoteka-s3', key: 'S3_SECRET_ACCESS_KEY' });
    expect(documents.SMTP_URL.valueFrom.secretKeyRef).toEqual({ name: 'kartoteka-smtp', key: 'SMTP_URL' });
  });

  it('refer only to Secret keys of the Secrets example and to keys of the ConfigMap', () => {
    const config = find(base, 'ConfigMap', 'kartoteka-config');
    const secretKeys = new Map(secretsExample.map((secret) => [secret.metadata.name, new Set(Object.keys(secret.stringData ?? {}))]));
    const missing: string[] = [];
    for (const deployment of base.filter((m) => m.kind === 'Deployment')) {
      for (const container of containersOf(deployment)) {
        for (const entry of container.env ?? []) {
          const secretRef = entry.valueFrom?.secretKeyRef;
          const configRef = entry.valueFrom?.configMapKeyRef;
          if (secretRef && !secretKeys.get(secretRef.name)?.has(secretRef.key)) missing.push(`${deployment.metadata.name}: secret ${secretRef.name}/${secretRef.key}`);
          if (configRef && (configRef.name !== config.metadata.name || !(configRef.key in config.data))) missing.push(`${deployment.metadata.name}: config ${configRef.name}/${configRef.key}`);
        }
      }
    }
    expect(missing).toEqual([]);
    // the example documents no Secret that nothing reads
    const used = new Set(base.filter((m) => m.kind === 'Deployment').flatMap((d) => containersOf(d).flatMap((c) => (c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name).filter(Boolean))));
    expect([...secretKeys.keys()].sort()).toEqual([...used].sort());
    // and the base never carries a secret value itself
    expect(base.filter((m) => m.kind === 'Secret')).toEqual([]);
    // production mode, no demo data
    expect(config.data).toMatchObject({ NODE_ENV: 'production', DEMO: 'false' });
  });

  it('let subgraphs be reached only from the gateway', () => {
    const policy = find(base, 'NetworkPolicy', 'subgraphs-from-gateway');
    for (const name of Object.keys(SUBGRAPHS)) {
      const labels = find(base, 'Deployment', name).spec.template.metadata.labels;
      expect(Object.entries(policy.spec.podSelector.matchLabels).every(([key, value]) => labels[key] === value)).toBe(true);
    }
    for (const name of ['gateway', 'portal']) {
      const labels = find(base, 'Deployment', name).spec.template.metadata.labels;
      expect(Object.entries(policy.spec.podSelector.matchLabels).every(([key, value]) => labels[key] === value)).toBe(false);
    }
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } } }] }]);
  });

  it('render the production overlay: its namespace, registry images, settings and ingress', () => {
    expect(production.every((m) => m.metadata.namespace === 'kartoteka')).toBe(true);
    for (const name of Object.keys(WORKLOADS)) {
      for (const container of containersOf(find(production, 'Deployment', name))) expect(container.image).toBe(`registry.example.com/kartoteka/${name}:0.1.0`);
    }
    const baseConfig = find(base, 'ConfigMap', 'kartoteka-config');
    const config = find(production, 'ConfigMap', 'kartoteka-config');
    expect(Object.keys(config.data).sort()).toEqual(Object.keys(baseConfig.data).sort());
    const ingress = find(production, 'Ingress', 'kartoteka');
    const backends = Object.fromEntries(ingress.spec.rules[0].http.paths.map((path: any) => [path.path, path.backend.service]));
    expect(backends).toEqual({ '/graphql': { name: 'gateway', port: { name: 'http' } }, '/rest': { name: 'gateway', port: { name: 'http' } }, '/': { name: 'portal', port: { name: 'http' } } });
    expect(config.data.GATEWAY_PUBLIC_URL).toBe(`https://${ingress.spec.rules[0].host}/graphql`);
    expect(config.data.CORS_ORIGINS).toBe(`https://${ingress.spec.rules[0].host}`);
  });
});

type Instruction = { keyword: string; args: string; line: number };

/** Dockerfile instructions: comments and blank lines dropped, continuation lines joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (/^\s*#/.test(line) || !line.trim())) return;
    if (pending && /^\s*#/.test(line)) return;
    if (!pending) start = index + 1;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) return;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(pending) ?? [];
    instructions.push({ keyword: keyword.toUpperCase(), args, line: start });
    pending = '';
  });
  return instructions;
}

type Stage = { image: string; name: string | null; instructions: Instruction[] };

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [, image, name] = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ image, name: name ?? null, instructions: [] });
    } else if (stages.length) stages[stages.length - 1].instructions.push(instruction);
    else if (instruction.keyword !== 'ARG') throw new Error(`${instruction.keyword} before FROM (line ${instruction.line})`);
  }
  return stages;
}

/** Problems of one Dockerfile against the project's rules for images. */
export function dockerfileProblems(text: string, workload: Workload): string[] {
  const problems: string[] = [];
  const stages = stagesOf(parseDockerfile(text));
  const names = new Set(stages.map((stage) => stage.name).filter(Boolean));
  if (stages.length < 2) problems.push('not multi-stage');
  for (const stage of stages) {
    if (names.has(stage.image)) continue;
    // an exact version (node:20.20.2-…) or a digest: never latest, never a floating major
    if (!/^[\w./-]+(:\d+\.\d+\.\d+[\w.-]*)?(@sha256:[a-f0-9]{64})?$/.test(stage.image) || !/(:\d+\.\d+\.\d+|@sha256:)/.test(stage.image)) problems.push(`base image ${stage.image} is not pinned`);
  }
  const final = stages[stages.length - 1];
  if (!final) return ['no FROM'];
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).pop();
  if (!final.instructions.some((i) => i.keyword === 'COPY' && /--from=/.test(i.args))) problems.push('the final stage copies nothing from a build stage');
  const user = last('USER')?.args;
  if (!user) problems.push('no USER in the final stage (runs as root)');
  else if (!/^[1-9]\d*(:[1-9]\d*)?$/.test(user)) problems.push(`USER ${user}: use a numeric non-root uid (Kubernetes runAsNonRoot checks it)`);
  const userIndex = final.instructions.findIndex((i) => i.keyword === 'USER');
  if (final.instructions.slice(userIndex + 1).some((i) => i.keyword === 'USER' && /^(root|0)\b/.test(i.args))) problems.push('switches back to root');
  const healthcheck = last('HEALTHCHECK')?.args ?? '';
  if (!healthcheck || /^NONE/i.test(healthcheck)) problems.push('no HEALTHCHECK');
  const path = workload === 'portal' ? "'/'" : "'/health/ready'";
  if (healthcheck && !healthcheck.includes(path)) problems.push(`HEALTHCHECK does not check ${path}`);
  const port = WORKLOADS[workload];
  if (last('EXPOSE')?.args !== String(port)) problems.push(`EXPOSE is not ${port}`);
  if (!healthcheck.includes(`|| ${port})`)) problems.push(`HEALTHCHECK does not default to port ${port}`);
  const cmd = last('CMD')?.args;
  if (!cmd?.startsWith('[')) problems.push('CMD is not in exec form (signals would not reach node)');
  return problems;
}

describe('Dockerfiles (deploy/docker)', () => {
  const files = readdirSync(DOCKER).filter((file) => file.endsWith('.Dockerfile'));

  it('exist, one per service, the gateway and the portal', () => {
    expect(files.sort()).toEqual(Object.keys(WORKLOADS).map((name) => `${name}.Dockerfile`).sort());
  });

  it.each(Object.keys(WORKLOADS) as Workload[])('%s: multi-stage, pinned base image, non-root user, health check', (workload) => {
    const text = readFileSync(join(DOCKER, `${workload}.Dockerfile`), 'utf8');
    expect(dockerfileProblems(text, workload)).toEqual([]);
  });

  it.each(Object.keys(WORKLOADS) as Workload[])('%s: builds what exists: filters, copied paths and the started file', (workload) => {
    const text = readFileSync(join(DOCKER, `${workload}.Dockerfile`), 'utf8');
    // the pnpm path filters name real workspace folders
    for (const [, folder] of text.matchAll(/--filter "\{([^}]+)\}\.\.\."/g)) expect(existsSync(join(ROOT, folder, 'package.json'))).toBe(true);
    // files and folders copied from the build stages come from the repository or its build output
    for (const [, sources] of text.matchAll(/^COPY --from=\S+ (.+) \S+$/gm)) {
      for (const source of sources.split(' ')) {
        const relative = source.replace(/^\/app\//, '');
        const built = /(^|\/)(dist|node_modules)(\/|$)/.test(relative);
        if (!built) expect([relative, existsSync(join(ROOT, relative))]).toEqual([relative, true]);
      }
    }
    const stages = stagesOf(parseDockerfile(text));
    const final = stages[stages.length - 1];
    const workdir = final.instructions.filter((i) => i.keyword === 'WORKDIR').pop()?.args ?? '/';
    const [, started] = /^\["node", "([^"]+)"\]$/.exec(final.instructions.filter((i) => i.keyword === 'CMD').pop()?.args ?? '') ?? [];
    const source = join(ROOT, workdir.replace(/^\/app\//, ''), started.replace(/^dist\/(.*)\.js$/, 'src/$1.ts'));
    expect([source, existsSync(source)]).toEqual([source, true]);
  });

  it('the checks find what is missing', () => {
    const good = readFileSync(join(DOCKER, 'deals.Dockerfile'), 'utf8');
    expect(dockerfileProblems(good.replace(/^USER .*$/m, ''), 'deals')).toContain('no USER in the final stage (runs as root)');
    expect(dockerfileProblems(good.replace(/^HEALTHCHECK .*\\\n.*\n/m, ''), 'deals')).toContain('no HEALTHCHECK');
    expect(dockerfileProblems(good.replace(/node:20\.20\.2-bookworm-slim AS runtime/, 'node:latest AS runtime'), 'deals')).toContain('base image node:latest is not pinned');
    expect(dockerfileProblems(good.replace(/node:20\.20\.2-bookworm-slim AS runtime/, 'node:20 AS runtime'), 'deals')).toContain('base image node:20 is not pinned');
    const single = `FROM node:20.20.2-bookworm-slim\nUSER 1000\nEXPOSE 4104\nHEALTHCHECK CMD ["node", "-e", "'/health/ready' || 4104)"]\nCMD ["node", "dist/main.js"]\n`;
    expect(dockerfileProblems(single, 'deals')).toEqual(expect.arrayContaining(['not multi-stage', 'the final stage copies nothing from a build stage']));
  });

  it('the build context leaves out installed and built files (.dockerignore)', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.data', '.env']));
  });
});
