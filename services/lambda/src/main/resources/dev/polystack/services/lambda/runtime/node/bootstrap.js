// Polystack's Lambda runtime client for Node.js: loads the handler named by _HANDLER from LAMBDA_TASK_ROOT and
// serves invocations through the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API, as AWS's runtime interface client does.
'use strict';
const http = require('http');
const path = require('path');
const fs = require('fs');
const { pathToFileURL } = require('url');

const END_MARKER = '\x1ePOLYSTACK_END ';
const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const PREFIX = '/2018-06-01/runtime';
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port: Number(PORT), method, path: PREFIX + urlPath, agent, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function errorObject(err, type) {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    errorType: type || (err instanceof Error ? e.name : 'Error'),
    errorMessage: e.message,
    trace: (e.stack || '').split('\n'),
  };
}

async function loadHandler() {
  const spec = process.env._HANDLER || '';
  const dot = spec.lastIndexOf('.');
  if (dot < 0) {
    return { error: { errorType: 'Runtime.MalformedHandlerName', errorMessage: `Bad handler ${spec}` } };
  }
  const modulePath = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const base = path.resolve(TASK_ROOT, modulePath);
  let mod;
  try {
    const candidates = ['.js', '.mjs', '.cjs'].map((ext) => base + ext);
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
      const err = new Error(`Cannot find module '${modulePath}'`);
      throw Object.assign(err, { code: 'MODULE_NOT_FOUND' });
    }
    mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND') {
      return { error: { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${__filename}`, trace: [] } };
    }
    if (err instanceof SyntaxError) {
      return { error: { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `${err.name}: ${err.message}`, trace: (err.stack || '').split('\n') } };
    }
    return { error: errorObject(err) };
  }
  const handler = name.split('.').reduce((o, k) => (o == null ? undefined : o[k]), mod);
  if (typeof handler !== 'function') {
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${modulePath}.${name} is undefined or not exported`, trace: [] } };
  }
  return { handler };
}

function endOfOutput(requestId) {
  fs.writeSync(1, END_MARKER + requestId + '\n');
}

function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err); else resolve(result);
    };
    context.done = callback;
    context.succeed = (r) => callback(null, r);
    context.fail = (e) => callback(e);
    try {
      const out = handler(event, context, callback);
      if (out && typeof out.then === 'function') {
        out.then((r) => callback(null, r), (e) => callback(e === undefined ? new Error('undefined') : e));
      } else if (handler.length < 3) {
        callback(null, out);
      }
    } catch (e) {
      callback(e);
    }
  });
}

async function main() {
  const { handler, error } = await loadHandler();
  if (error) {
    console.error(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception\t${JSON.stringify(error)}`);
    await request('POST', '/init/error', JSON.stringify(error), { 'Lambda-Runtime-Function-Error-Type': error.errorType, 'Content-Type': 'application/json' });
    process.exit(1);
  }
  for (;;) {
    const { res, body } = await request('GET', '/invocation/next');
    const requestId = res.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(res.headers['lambda-runtime-deadline-ms'] || 0);
    process.env._X_AMZN_TRACE_ID = res.headers['lambda-runtime-trace-id'] || '';
    let clientContext;
    if (res.headers['lambda-runtime-client-context']) {
      try { clientContext = JSON.parse(res.headers['lambda-runtime-client-context']); } catch (e) { clientContext = undefined; }
    }
    const context = {
      awsRequestId: requestId,
      invokedFunctionArn: res.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      clientContext,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let answer;
    try {
      const event = body.length ? JSON.parse(body.toString('utf8')) : {};
      const result = await runHandler(handler, event, context);
      answer = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      const e = errorObject(err);
      console.error(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(e)}`);
      endOfOutput(requestId);
      await request('POST', `/invocation/${requestId}/error`, JSON.stringify(e), { 'Lambda-Runtime-Function-Error-Type': e.errorType, 'Content-Type': 'application/json' });
      continue;
    }
    endOfOutput(requestId);
    await request('POST', `/invocation/${requestId}/response`, answer, { 'Content-Type': 'application/json' });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
