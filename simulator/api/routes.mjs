// @ts-check
// Which actions each API path serves.
import { AUTOSCALING_ACTIONS } from './autoscaling.mjs'
import { BLOCK_STORAGE_ACTIONS } from './block-storage.mjs'
import { MEMBER_IMAGE_ACTIONS } from './member-images.mjs'
import { SERVER_IMAGE_ACTIONS } from './server-images.mjs'
import { SERVER_LAUNCH_ACTIONS } from './server-launch.mjs'
import { SERVER_ACTIONS } from './server.mjs'
import { VPC_ACTIONS } from './vpc.mjs'

/** @typedef {{ name: string, prefix: string, actions: import('./action.mjs').Actions }} Api */

/** @type {Api[]} */
export const APIS = [
  {
    name: 'vserver',
    prefix: '/vserver/v2/',
    actions: {
      ...SERVER_ACTIONS,
      ...SERVER_LAUNCH_ACTIONS,
      ...MEMBER_IMAGE_ACTIONS,
      ...SERVER_IMAGE_ACTIONS,
      ...BLOCK_STORAGE_ACTIONS
    }
  },
  { name: 'vautoscaling', prefix: '/vautoscaling/v2/', actions: AUTOSCALING_ACTIONS },
  { name: 'vpc', prefix: '/vpc/v2/', actions: VPC_ACTIONS }
]

/**
 * @param {string} name
 * @param {string} action
 */
export function findAction(name, action) {
  const actions = APIS.find(api => api.name === name)?.actions ?? {}
  return Object.hasOwn(actions, action) ? actions[action] : undefined
}
