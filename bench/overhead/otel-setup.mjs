// OpenTelemetry's documented zero-code setup for an ESM service (doc/esm-support.md): the
// import-in-the-middle loader hook, then the auto-instrumentations' register entry (NodeSDK with
// every default instrumentation, a BatchSpanProcessor and the OTLP exporter the OTEL_* variables choose).
// Loaded with `node --import <this file> server.js`; resolves the packages from bench/node_modules.
import { createRequire, register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
createRequire(import.meta.url)('@opentelemetry/auto-instrumentations-node/register');
