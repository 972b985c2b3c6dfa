/**
 * Where the project lives: the repository (source links in the API reference,
 * `repository` in every package.json) and the published docs site (`homepage`).
 * One place to change when the project moves.
 */
export const REPOSITORY_URL = 'https://github.com/rheo-dev/rheo';

/** The docs site's root URL; a package's `homepage` is its API page under it. */
export const SITE_URL = 'https://rheo-dev.github.io/rheo';
