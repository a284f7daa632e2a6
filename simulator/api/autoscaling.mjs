// @ts-check
// The Auto Scaling API (/vautoscaling/v2): launch configurations, which name the image their
// servers are made from.
import { byNumber, onePage } from '../paging.mjs'
import { listParam } from '../params.mjs'
import { kstDate } from './action.mjs'

/** @param {import('../types.mjs').LaunchConfigurationSummary} config */
function launchConfigurationRecord(config) {
  return {
    launchConfigurationNo: config.launchConfigurationNo,
    launchConfigurationName: config.launchConfigurationName,
    serverImageProductCode:
      config.memberServerImageInstanceNo || config.serverImageNo
        ? ''
        : 'SW.VSVR.OS.LNX64.ROCKY.0810.B050',
    ...(config.memberServerImageInstanceNo === undefined
      ? {}
      : { memberServerImageInstanceNo: config.memberServerImageInstanceNo }),
    ...(config.serverImageNo === undefined ? {} : { serverImageNo: config.serverImageNo }),
    serverProductCode: 'SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002',
    loginKeyName: 'sim-key',
    createDate: kstDate(config.createdAt),
    launchConfigurationStatus: { code: 'CREAT', codeName: 'Created' },
    initScriptNo: '',
    isEncryptedVolume: false
  }
}

/** @type {import('./action.mjs').Actions} */
export const AUTOSCALING_ACTIONS = {
  getLaunchConfigurationList: {
    listKey: 'launchConfigurationList',
    run: (sim, params, region) => {
      const nos = listParam(params, 'launchConfigurationNoList')
      const names = listParam(params, 'launchConfigurationNameList')
      const rows = sim.launchConfigurations
        .filter(
          config =>
            config.regionCode === region &&
            (nos.length === 0 || nos.includes(config.launchConfigurationNo)) &&
            (names.length === 0 || names.includes(config.launchConfigurationName))
        )
        .sort((a, b) => byNumber(a.launchConfigurationNo, b.launchConfigurationNo))
        .map(launchConfigurationRecord)
      return onePage(sim, params, rows, 'getLaunchConfigurationList')
    }
  }
}
