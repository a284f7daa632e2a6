// @ts-check
// Launch configurations name the image their servers are made from (ncloud-api-next §2).

export const FIRST_LAUNCH_CONFIGURATION_NO = 500001

/**
 * @param {import('../state.mjs').SimState} sim
 * @param {import('../types.mjs').LaunchConfigurationSeed} seed
 * @returns {import('../types.mjs').LaunchConfigurationSummary}
 */
export function addLaunchConfiguration(sim, seed) {
  const no =
    seed.launchConfigurationNo === undefined
      ? String(sim.nextLaunchConfigurationNo++)
      : String(seed.launchConfigurationNo)
  const config = {
    launchConfigurationNo: no,
    launchConfigurationName: seed.launchConfigurationName ?? `lc-${no}`,
    regionCode: seed.regionCode ?? 'KR',
    memberServerImageInstanceNo: seed.memberServerImageInstanceNo,
    serverImageNo: seed.serverImageNo,
    createdAt: seed.createdAt ?? sim.clock.now()
  }
  sim.launchConfigurations.push(config)
  return config
}
