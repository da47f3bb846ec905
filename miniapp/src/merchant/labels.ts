export const REFUND_STATUS_TEXT = { requested: '待处理', approved: '已同意', rejected: '已拒绝' } as const;
