// Sales ledger for the first quarter, as exported by the order system. Amounts are in cents.

export interface Sale {
  id: number;
  region: string;
  month: string;
  product: string;
  units: number;
  unitPrice: number;
}

export const SALES: readonly Sale[] = [
  { id: 1, region: 'eu', month: '2024-01', product: 'Trail boot', units: 3, unitPrice: 12900 },
  { id: 2, region: 'eu', month: '2024-01', product: 'Rain jacket', units: 1, unitPrice: 8900 },
  { id: 3, region: 'eu', month: '2024-02', product: 'Head lamp', units: 6, unitPrice: 2450 },
  { id: 4, region: 'eu', month: '2024-02', product: 'Trail boot', units: 1, unitPrice: 12900 },
  { id: 5, region: 'eu', month: '2024-03', product: 'Two-person tent', units: 2, unitPrice: 19900 },
  { id: 6, region: 'eu', month: '2024-03', product: 'Head lamp', units: 2, unitPrice: 2450 },
  { id: 7, region: 'us', month: '2024-01', product: 'Two-person tent', units: 1, unitPrice: 21900 },
  { id: 8, region: 'us', month: '2024-01', product: 'Head lamp', units: 10, unitPrice: 2700 },
  { id: 9, region: 'us', month: '2024-02', product: 'Rain jacket', units: 4, unitPrice: 9500 },
  { id: 10, region: 'us', month: '2024-03', product: 'Trail boot', units: 2, unitPrice: 13900 },
  { id: 11, region: 'apac', month: '2024-02', product: 'Rain jacket', units: 2, unitPrice: 9900 },
  { id: 12, region: 'apac', month: '2024-03', product: 'Head lamp', units: 5, unitPrice: 2900 },
];
