import { Card, Descriptions } from 'antd';
import { PRODUCT_TYPE_LABELS, type ProductType } from '../../../../shared/domain/tasks';
import { useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';

/** ¥12,345.00 from cents, without floating-point rounding on the way. */
export function formatYuan(cents: number): string {
  return `¥${Math.trunc(cents / 100).toLocaleString('zh-CN')}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
}

/** The policy the visit is about, beside the form: what the script will ask the customer to confirm. */
export function PolicyFacts() {
  const t = useT();
  const detail = useVisitStore((s) => s.detail);
  const view = useVisitStore((s) => s.view)!;
  const p = detail?.policy ?? null;
  const items = [
    { key: 'customer', label: t('visit.policy.customer'), children: view.sheet.customerName ?? '' },
    { key: 'address', label: t('visit.policy.address'), children: detail?.customer.address ?? view.sheet.place ?? '' },
  ];
  if (p) {
    items.push(
      { key: 'no', label: t('visit.policy.no'), children: p.policyNo },
      { key: 'product', label: t('visit.policy.product'), children: p.productName },
      { key: 'type', label: t('visit.policy.type'), children: PRODUCT_TYPE_LABELS[p.productType as ProductType] ?? p.productType },
      { key: 'premium', label: t('visit.policy.premium'), children: p.premiumCents !== null ? formatYuan(p.premiumCents) : '' },
      { key: 'payYears', label: t('visit.policy.payYears'), children: p.payYears !== null ? t('visit.policy.years', { n: p.payYears }) : '' },
      { key: 'coverage', label: t('visit.policy.coverage'), children: p.coveragePeriod ?? '' },
      { key: 'insured', label: t('visit.policy.insured'), children: p.insuredName ?? '' },
      { key: 'receipt', label: t('visit.policy.receipt'), children: p.receiptSignedDate ?? '' },
      { key: 'agent', label: t('visit.policy.agent'), children: p.agentName ?? '' },
    );
  }
  return (
    <Card size="small" title={t('visit.policy.title')} className="policy-facts" data-testid="policy-facts">
      <Descriptions size="small" column={1} items={items} styles={{ label: { width: 84 } }} />
    </Card>
  );
}
