// @actions/core imports @actions/exec (and through it @actions/io) only for platform.getDetails(),
// which runs lsb_release, sw_vers or PowerShell to describe the runner's OS. This action never calls
// it, yet the two packages were about a sixth of the bundle and were evaluated on every start. The
// override in package.json names @actions/core's exact version: when core is updated, update that
// key too; scripts/check-bundle.mjs fails when exec's code comes back.
function unavailable() {
  throw new Error(
    '@actions/exec is not bundled with this action: core.platform.getDetails() is unavailable'
  )
}
export const exec = unavailable
export const getExecOutput = unavailable
