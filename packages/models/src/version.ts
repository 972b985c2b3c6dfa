/** The version of @rheo/models, recorded in every model file (a test checks it against package.json). */
export const RHEO_VERSION = '0.1.0';
