// The baseline for the cold-start figure: one signed NCP request with Node's own modules and
// nothing else. NCP's gateway speaks only HTTPS, so a real request loads node:https (and with it
// TLS) whatever the URL: that is part of Node's cost of one NCP request, not of the bundle's. The
// benchmark's simulator listens on plain http on loopback, so the request itself goes out with
// node:http.
import { createHmac } from 'node:crypto'
import { request } from 'node:http'
import 'node:https'

const { BENCH_URL, BENCH_ACCESS_KEY, BENCH_SECRET_KEY } = process.env
const path = '/vserver/v2/getServerInstanceDetail'
const body = 'regionCode=KR&serverInstanceNo=1001&responseFormatType=json'
const timestamp = String(Date.now())
const signature = createHmac('sha256', BENCH_SECRET_KEY)
  .update(`POST ${path}\n${timestamp}\n${BENCH_ACCESS_KEY}`)
  .digest('base64')
const req = request(`${BENCH_URL}${path}`, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': BENCH_ACCESS_KEY,
    'x-ncp-apigw-signature-v2': signature
  }
})
req.on('response', res => res.resume())
req.end(body)
