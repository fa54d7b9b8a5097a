import type { ListColumn, ListKind } from '../../shared/api/contract';

/**
 * The columns of each branch list, shared by the on-screen table and the exported workbook so
 * the two never disagree. Titles are the words the branch's own paperwork uses (客户回访记录表:
 * 客户名称, 保单号码, 访问人 …). Phone numbers are always masked.
 */
export const LIST_COLUMNS: Record<ListKind, readonly ListColumn[]> = {
  tracking: [
    { key: 'policyNo', title: '保单号码', type: 'text', width: 20 },
    { key: 'customerName', title: '客户名称', type: 'text', width: 14 },
    { key: 'phone', title: '联系电话', type: 'text', width: 15 },
    { key: 'productName', title: '产品名称', type: 'text', width: 22 },
    { key: 'kind', title: '回访类型', type: 'text', width: 16 },
    { key: 'source', title: '件类型', type: 'text', width: 11 },
    { key: 'assignee', title: '经办人', type: 'text', width: 10 },
    { key: 'dueOn', title: '回访期限', type: 'date', width: 12 },
    { key: 'status', title: '任务状态', type: 'text', width: 10 },
  ],
  failed: [
    { key: 'policyNo', title: '保单号码', type: 'text', width: 20 },
    { key: 'customerName', title: '客户名称', type: 'text', width: 14 },
    { key: 'phone', title: '联系电话', type: 'text', width: 15 },
    { key: 'kind', title: '回访类型', type: 'text', width: 16 },
    { key: 'assignee', title: '经办人', type: 'text', width: 10 },
    { key: 'attemptedAt', title: '联系时间', type: 'datetime', width: 17 },
    { key: 'method', title: '联系方式', type: 'text', width: 9 },
    { key: 'outcome', title: '联系结果', type: 'text', width: 16 },
    { key: 'attemptBy', title: '联系人', type: 'text', width: 10 },
    { key: 'note', title: '联系备注', type: 'text', width: 30 },
    { key: 'unableReason', title: '未能回访原因', type: 'text', width: 36 },
  ],
  daily: [
    { key: 'staff', title: '回访人员', type: 'text', width: 11 },
    { key: 'item', title: '事项', type: 'text', width: 10 },
    { key: 'at', title: '时间', type: 'datetime', width: 17 },
    { key: 'customerName', title: '客户名称', type: 'text', width: 14 },
    { key: 'phone', title: '联系电话', type: 'text', width: 15 },
    { key: 'policyNo', title: '保单号码', type: 'text', width: 20 },
    { key: 'kind', title: '回访类型', type: 'text', width: 16 },
    { key: 'status', title: '状态/结果', type: 'text', width: 11 },
    { key: 'detail', title: '说明', type: 'text', width: 30 },
  ],
  problems: [
    { key: 'policyNo', title: '保单号码', type: 'text', width: 20 },
    { key: 'customerName', title: '投保人', type: 'text', width: 14 },
    { key: 'agentCode', title: '业务员代码', type: 'text', width: 12 },
    { key: 'agentName', title: '业务员', type: 'text', width: 10 },
    { key: 'category', title: '问题类别', type: 'text', width: 22 },
    { key: 'description', title: '问题描述', type: 'text', width: 40 },
    { key: 'handler', title: '处理人', type: 'text', width: 10 },
    { key: 'state', title: '处理状态', type: 'text', width: 14 },
    { key: 'dueState', title: '期限提示', type: 'text', width: 10 },
    { key: 'openedOn', title: '下达日期', type: 'date', width: 12 },
    { key: 'dueOn', title: '处理期限', type: 'date', width: 12 },
  ],
};

export const LIST_TITLES: Record<ListKind, string> = {
  tracking: '跟踪件清单',
  failed: '不成功件清单',
  daily: '每日回访清单',
  problems: '问题件清单',
};
