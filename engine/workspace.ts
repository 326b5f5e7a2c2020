// A throwaway "user project" directory for the provider host to run in. The serialized provider text resolves its
// require() calls against the host's working directory, so tests must reproduce a user's layout
// (node_modules/pulumi-quickbi present) instead of special-casing the shim.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Workspace {
  /** The project directory: run the host with this as cwd. */
  dir: string;
  /** Default place for the engine's state file inside the project. */
  statePath: string;
  /** Removes the directory (links only; never follows them). */
  cleanup(): Promise<void>;
}

export interface WorkspaceOptions {
  /** Project name written to Pulumi.yaml / package.json. */
  project?: string;
  /** Root of the pulumi-quickbi checkout to link as node_modules/pulumi-quickbi; found from this file by default. */
  repoRoot?: string;
  /** Extra node_modules entries: package name → directory to link. */
  links?: Record<string, string>;
  /** Parent directory for the temp dir (defaults to the OS temp dir). */
  parent?: string;
}

/** Walks up from `from` to the directory whose package.json is named pulumi-quickbi (works from engine/ and bin/engine/). */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (let i = 0; i < 20; i++) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-quickbi") return dir;
      } catch {
        // unreadable package.json: keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find the pulumi-quickbi package root above ${from}`);
}

/** Directory of the @pulumi/pulumi package this repository uses. */
function pulumiPackageDir(repoRoot: string): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }));
}

function link(nodeModules: string, name: string, target: string): void {
  const at = path.join(nodeModules, ...name.split("/"));
  fs.mkdirSync(path.dirname(at), { recursive: true });
  // "junction" makes this work on Windows without privileges; ignored elsewhere.
  fs.symlinkSync(path.resolve(target), at, "junction");
}

/**
 * Creates `<tmp>/pulumi-quickbi-ws-XXXX/` with Pulumi.yaml, package.json and
 * node_modules/{pulumi-quickbi → repo root, @pulumi/pulumi → the SDK the repo uses}: what `npm install pulumi-quickbi`
 * gives a user. The package's `exports` map sends `pulumi-quickbi/runtime` to bin/provider/runtime.js, so the repo
 * must be built.
 */
export async function createWorkspace(opts: WorkspaceOptions = {}): Promise<Workspace> {
  const repoRoot = opts.repoRoot ?? findRepoRoot();
  const project = opts.project ?? "quickbi-access";
  const dir = await fs.promises.mkdtemp(path.join(opts.parent ?? os.tmpdir(), "pulumi-quickbi-ws-"));
  const nodeModules = path.join(dir, "node_modules");
  fs.mkdirSync(nodeModules);
  const links: Record<string, string> = {
    "pulumi-quickbi": repoRoot,
    "@pulumi/pulumi": pulumiPackageDir(repoRoot),
    ...(opts.links ?? {}),
  };
  for (const [name, target] of Object.entries(links)) link(nodeModules, name, target);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      { name: project, private: true, dependencies: { "pulumi-quickbi": "*", "@pulumi/pulumi": "*" } },
      null,
      2,
    ),
  );
  return {
    dir,
    statePath: path.join(dir, ".pulumi-state.json"),
    // fs.rm does not follow symlinks, so the linked repository is never touched.
    cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }),
  };
}
