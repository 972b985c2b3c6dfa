// @rheo/data/node: file access for Node (reading data folders, gunzip via node:zlib, writing .npy).
export { dataDir } from './node/data-dir.js';
export { gunzipData, readDataFile } from './node/read-data-file.js';
export { readNpy, writeNpy, readIdx, readCsv } from './node/readers.js';
export { loadPower } from './node/load-power.js';
export { loadMiniboone } from './node/load-miniboone.js';
export { loadDigits, loadMnist } from './node/load-images.js';
export { loadNpyFolder } from './node/load-npy-folder.js';
