// Written by scripts/post-entry.mjs (npm run bundle): the post step of action.yml.
globalThis[Symbol.for('ncloud-server-image-action.phase')] = 'post'
await import('./index.js')
