// @ts-check
// The VPC API (/vpc/v2): getSubnetDetail.
import { subnetsOf } from '../model/network.mjs'
import { required } from '../params.mjs'
import { RETURN_CODES, ServiceError } from '../return-codes.mjs'

/** @type {import('./action.mjs').Actions} */
export const VPC_ACTIONS = {
  getSubnetDetail: {
    listKey: 'subnetList',
    run: (sim, params, region) => {
      const subnetNo = required(params, 'subnetNo')
      const vpcNo = subnetsOf(sim, region).get(subnetNo)
      if (vpcNo === undefined) {
        throw new ServiceError(RETURN_CODES.networkNotFound, `Subnet ${subnetNo} was not found.`)
      }
      return [
        {
          subnetNo,
          vpcNo,
          zoneCode: `${region}-1`,
          subnetName: `subnet-${subnetNo}`,
          subnet: '10.0.1.0/24',
          subnetStatus: { code: 'RUN', codeName: 'run' },
          subnetType: { code: 'PRIVATE', codeName: 'Private' },
          usageType: { code: 'GEN', codeName: 'General' },
          networkAclNo: '1'
        }
      ]
    }
  }
}
