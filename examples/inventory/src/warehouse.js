'use strict';

// Item records, read from the warehouse export (data/items.json) on first use and kept in memory.

const fs = require('node:fs');
const path = require('node:path');

const DATA_FILE = path.join(__dirname, '..', 'data', 'items.json');

let items = null;
let waiting = null;

function load(callback) {
  if (items) return setImmediate(callback, null, items);
  if (waiting) return waiting.push(callback);
  waiting = [callback];
  fs.readFile(DATA_FILE, 'utf8', (err, text) => {
    let parsed = null;
    if (!err) {
      try {
        parsed = new Map(JSON.parse(text).map((item) => [item.sku, item]));
      } catch (parseErr) {
        err = parseErr;
      }
    }
    if (parsed) items = parsed;
    const callbacks = waiting;
    waiting = null;
    for (const cb of callbacks) cb(err, parsed);
  });
}

function findItem(sku, callback) {
  load((err, bySku) => {
    if (err) return callback(err);
    callback(null, bySku.get(sku) || null);
  });
}

function listItems(callback) {
  load((err, bySku) => {
    if (err) return callback(err);
    callback(null, [...bySku.values()]);
  });
}

module.exports = { findItem, listItems };
