/**
 * What every command gets: the global flags (`--kubeconfig`, `--context`, `--server`, `-o`), the
 * output streams, and clients built from the kubeconfig. Clients talk to the server root
 * (basePath '') and address workspaces with `forCluster`, so one kubeconfig reaches every
 * workspace; the current workspace is the `/clusters/<path>` of the server URL.
 */
import { httpTransportFromKubeConfig } from '../client/kubeconfig-transport.js';
import type { HttpTransport } from '../client/http-transport.js';
import { KubeClient } from '../client/kube-client.js';
import { resolveKubeConfig } from '../client/kubeconfig.js';
import { CliError } from './errors.js';
import { kubeconfigPath, kubeconfigTextWithServer, loadKubeconfig, serverOf, splitServerURL, type KubeconfigFile } from './kubeconfig-file.js';
import { outputFormat, type OutputFormat } from './output.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  server?: string;
  output?: string;
  /** `--workspace`: operate in this workspace instead of the kubeconfig's. */
  workspace?: string;
}

export class CliContext {
  private readonly transports: HttpTransport[] = [];
  private root?: KubeClient;

  constructor(readonly io: CliIO, readonly globals: GlobalOptions) {}

  out(text: string): void { this.io.stdout(text.endsWith('\n') ? text : text + '\n'); }
  warn(text: string): void { this.io.stderr(`Warning: ${text}${text.endsWith('\n') ? '' : '\n'}`); }

  get kubeconfigPath(): string {
    return kubeconfigPath(this.globals.kubeconfig, this.io.env);
  }

  /** The kubeconfig file as a YAML document (for `ws`, which rewrites it). */
  kubeconfigFile(): KubeconfigFile {
    return loadKubeconfig(this.kubeconfigPath, this.globals.context);
  }

  /** The effective server URL: `--server`, else the context's cluster. */
  serverURL(): string {
    return this.globals.server ?? serverOf(this.kubeconfigFile());
  }

  /** The workspace the server URL points at; throws a helpful error when it points at none. */
  currentWorkspace(): string {
    if (this.globals.workspace) return this.globals.workspace.replace(/^:/, '');
    const { workspace } = splitServerURL(this.serverURL());
    if (!workspace) {
      throw new CliError(`the server URL ${this.serverURL()} names no workspace (want …/clusters/<path>); use "tmcctl ws root" or pass --workspace`);
    }
    return workspace;
  }

  /** The namespace: the flag, else the context's namespace, else `default`. */
  namespace(flag: string | undefined): string {
    if (flag) return flag;
    try {
      return resolveKubeConfig({ file: this.kubeconfigPath, context: this.globals.context }).namespace ?? 'default';
    } catch {
      return 'default';
    }
  }

  outputFormat(allowed?: readonly OutputFormat[]): OutputFormat {
    return outputFormat(this.globals.output, allowed);
  }

  /** A client at the server root; address workspaces with `forCluster`. */
  rootClient(): KubeClient {
    if (this.root) return this.root;
    const server = this.serverURL();
    const { base } = splitServerURL(server);
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    let transport: HttpTransport;
    try {
      transport = this.globals.server
        ? httpTransportFromKubeConfig({ text: kubeconfigTextWithServer(this.kubeconfigPath, this.globals.context, server), basePath, userAgent: 'tmcctl' })
        : httpTransportFromKubeConfig({ file: this.kubeconfigPath, context: this.globals.context, basePath, userAgent: 'tmcctl' });
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot use kubeconfig ${this.kubeconfigPath}: ${(e as Error).message}`);
    }
    this.transports.push(transport);
    this.root = new KubeClient(transport);
    return this.root;
  }

  /** A client for one workspace (default: the current one). */
  client(workspace?: string): KubeClient {
    return this.rootClient().forCluster(workspace ?? this.currentWorkspace());
  }

  close(): void {
    for (const t of this.transports.splice(0)) t.close();
    this.root = undefined;
  }
}
