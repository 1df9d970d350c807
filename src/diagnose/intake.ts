// Turns a sensor's raw fault report into a grouped, source-mapped fault record for the store.

import path from 'node:path';
import type { FaultReport, ServiceSpec } from '../model/fault.js';
import type { FaultRecord } from '../store/store.js';
import { SourceMapper } from './source-map.js';
import { incidentId, maskMessage, signatureOf, topAppFrame } from './signature.js';
import { parseStack } from './stack.js';

export class FaultIntake {
  private readonly mapper = new SourceMapper();

  constructor(
    private readonly root: string,
    private readonly service: ServiceSpec,
  ) {}

  toRecord(fault: FaultReport): FaultRecord {
    const frames = this.mapper.mapFrames(parseStack(fault.stack));
    const location = topAppFrame(frames);
    const signature = signatureOf(fault.errorClass, fault.message, location, this.root);
    const record: FaultRecord = {
      signature,
      id: incidentId(signature),
      errorClass: fault.errorClass,
      messagePattern: maskMessage(fault.message),
      message: fault.message,
      origin: fault.origin,
      frames,
      at: new Date(fault.at).toISOString(),
      service: this.service,
    };
    if (location) record.location = location;
    if (fault.request) record.request = fault.request;
    return record;
  }

  relative(file: string): string {
    return path.relative(this.root, file) || file;
  }
}
