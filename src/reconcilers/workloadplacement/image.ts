/**
 * Image reference rewriting for `overrides[].image`: `[registry/]repository[:tag][@digest]`. The
 * first path component is a registry when it looks like a host (has a dot or a port, or is
 * localhost), as Docker's reference grammar decides it.
 */
export interface ImageRef {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ImageOverride {
  registry?: string;
  repository?: string;
  /** A tag, or a digest when it starts with "sha256:". */
  tag?: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, repository: rest, tag, digest };
}

export function formatImage(ref: ImageRef): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

export function overrideImage(image: string, o: ImageOverride): string {
  const ref = parseImage(image);
  if (o.registry !== undefined) ref.registry = o.registry || undefined;
  if (o.repository !== undefined) ref.repository = o.repository;
  if (o.tag !== undefined) {
    if (o.tag.startsWith('sha256:')) {
      ref.digest = o.tag;
      ref.tag = undefined;
    } else {
      ref.tag = o.tag;
      ref.digest = undefined;
    }
  }
  return formatImage(ref);
}
