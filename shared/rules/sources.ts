/** The documents each rule comes from, named as the seed compilation titles them. */
export const SOURCES = {
  newPolicy:
    '《重庆市人身保险新单回访管理办法》第三条、第四条；山东保监局关于对《山东人身保险公司客户回访与客户信息管理办法》修订的通知（鲁保监发〔2013〕18号）二',
  callListIndividual: '《人寿保险股份有限公司个人新契约回访管理办法》清单抽取',
  callListBancassurance: '《客户回访规范与管理》一、回访清单的抽取',
  problemCase: '《客户回访规范与管理》回访问题件第6项',
  followUpCase: '《个险银险保全付费回访管理办法》回访流程（跟踪件清单）',
  underwritingAndClaim: '《XX保险股份有限公司客户回访管理办法》第5条',
  renewal: '《XX保险股份有限公司客户回访管理办法》第6条',
  keyAndShareholderClient: '《XX保险股份有限公司客户回访管理办法》第7条',
  valueTier: '《客户回访管理制度》二、管理标准 1.1–1.2',
  customerTypes: '《公司客户回访管理规定》4. 回访频率和方式',
  survivalBenefit: '《个险银险保全付费回访管理办法》生存给付回访规则',
  carClaim: '《华泰财产保险有限公司回访业务管理制度》第五条',
  salesCallAndPartner: '《客户回访管理制度》五、回访相关规定 1–2',
  serviceEvent: '《保险公司客户回访工作指引》（山东）第一章 四',
} as const;
