import { Card, Tabs } from 'antd';
import { useT } from '../../stores/app-store';
import { CalendarTab } from './CalendarTab';
import { RulesTab } from './RulesTab';
import { TemplatesTab } from './TemplatesTab';
import { TryRuleTab } from './TryRuleTab';

export type SettingsTab = 'rules' | 'calendar' | 'try' | 'templates';

/**
 * 设置 → 规则与日历: what the desk knows (rules, holiday calendar, questionnaires) and a place to
 * try a rule. The tab is held by the shell so that its calendar banner can open the 日历 tab.
 */
export function SettingsPage({ tab, onTabChange }: { tab: SettingsTab; onTabChange: (tab: SettingsTab) => void }) {
  const t = useT();
  return (
    <Card title={t('settings.title')} data-testid="settings-page">
      <Tabs
        activeKey={tab}
        onChange={(k) => onTabChange(k as SettingsTab)}
        // Each tab loads its data when first shown and keeps it while the page is open.
        items={[
          { key: 'rules', label: t('settings.tab.rules'), children: <RulesTab /> },
          { key: 'calendar', label: t('settings.tab.calendar'), children: <CalendarTab /> },
          { key: 'try', label: t('settings.tab.try'), children: <TryRuleTab /> },
          { key: 'templates', label: t('settings.tab.templates'), children: <TemplatesTab /> },
        ]}
      />
    </Card>
  );
}
