import type { Locale } from "../i18n/locales.ts";

// The notice a new store starts from, in each supported language. Stores edit it and publish new
// versions; a material change makes earlier grants lapse until the shopper grants again.
export type NoticeSections = {
  controller: string;
  footfall: string;
  recognition: string;
  demographics: string;
  retention: string;
  rights: string;
  complaint: string;
};

type StoreFacts = {
  name: string;
  controllerName: string;
  controllerContact: string;
  visitRetentionDays: number;
  templateMaxDays: number;
  checkInWindowMinutes: number;
  complaintAuthority: string;
  complaintUrl: string;
};

export function defaultNoticeText(s: StoreFacts, locale: Locale): { title: string; sections: NoticeSections } {
  const years = Math.round(s.templateMaxDays / 365);
  const hours = Math.round(s.checkInWindowMinutes / 60);
  switch (locale) {
    case "zh-CN":
      return {
        title: `${s.name}：摄像头与人脸信息告知书`,
        sections: {
          controller: `个人信息处理者：${s.controllerName}（联系方式：${s.controllerContact}）。本店的摄像头由 Veil 系统处理。`,
          footfall:
            "所有进店人员都会被匿名计数。检测到的人脸只让计数器加一；画面在 30 秒内从内存中删除，不保存任何人脸图像、特征或位置。此项不需要您的同意，因为不保存任何能识别您的信息。",
          recognition: `仅在您单独、明确同意后：本店登记终端为您拍摄的照片会生成加密的人脸模板（照片不保存），与本店摄像头中的人脸比对，以记录您的到店时间。您用手机在本店签到后的 ${hours} 小时内才会比对。未同意或未签到时，您的脸不会被比对。`,
          demographics: "仅在您另外同意、且本次到店已被识别时：估计您的年龄段和性别，并记录在该次到店中。",
          retention: `到店记录保存 ${s.visitRetentionDays} 天。人脸模板在您撤回同意、删除模板或最后一次互动满 ${years} 年时销毁。原始画面不写入磁盘。`,
          rights:
            "您可以随时撤回同意（一键即可）、删除模板、查看和下载我们保存的关于您的全部信息，以及要求删除。我们会在法律规定的期限内答复。",
          complaint: `如对处理方式有异议，您可以向 ${s.complaintAuthority || "个人信息保护监管部门"} 投诉${s.complaintUrl ? `（${s.complaintUrl}）` : ""}。`,
        },
      };
    case "fr":
      return {
        title: `${s.name} : information sur les caméras et les visages`,
        sections: {
          controller: `Responsable du traitement : ${s.controllerName} (contact : ${s.controllerContact}). Les caméras du magasin sont traitées par le système Veil.`,
          footfall:
            "Toute personne qui entre est comptée de façon anonyme. Un visage détecté ajoute seulement +1 à un compteur ; l'image est effacée de la mémoire en moins de 30 secondes et aucun visage, aucune empreinte ni position n'est conservé. Aucun consentement n'est demandé car rien qui vous identifie n'est gardé.",
          recognition: `Seulement avec votre consentement distinct et explicite : les photos que la borne du magasin prend de vous deviennent un modèle de visage chiffré (les photos ne sont pas gardées), comparé aux visages filmés dans ce magasin pour enregistrer vos visites, et seulement pendant ${hours} heures après votre enregistrement sur place depuis votre téléphone. Sans consentement ni enregistrement, votre visage n'est jamais comparé.`,
          demographics:
            "Seulement avec un consentement supplémentaire et lors d'une visite reconnue : une estimation de votre tranche d'âge et de votre genre est ajoutée à cette visite.",
          retention: `Les visites sont conservées ${s.visitRetentionDays} jours. Le modèle de visage est détruit quand vous retirez votre consentement, le supprimez, ou ${years} ans après votre dernière interaction. Les images brutes ne sont jamais écrites sur disque.`,
          rights:
            "Vous pouvez à tout moment retirer votre consentement (d'un geste), supprimer votre modèle, voir et télécharger tout ce que nous détenons sur vous et demander l'effacement. Nous répondons dans les délais légaux.",
          complaint: `Vous pouvez introduire une réclamation auprès de ${s.complaintAuthority || "l'autorité de protection des données"}${s.complaintUrl ? ` (${s.complaintUrl})` : ""}.`,
        },
      };
    default:
      return {
        title: `${s.name}: cameras and your face`,
        sections: {
          controller: `Controller: ${s.controllerName} (contact: ${s.controllerContact}). The store's cameras are processed by the Veil system.`,
          footfall:
            "Everyone who comes in is counted anonymously. A detected face only adds one to a counter; the picture is deleted from memory within 30 seconds and no face image, template or position is kept. No consent is asked because nothing that identifies you is kept.",
          recognition: `Only with your separate, explicit consent: the photos this store's kiosk takes of you become an encrypted face template (the photos are not kept) that is compared with faces on this store's cameras to record your visits, and only for ${hours} hours after you check in here from your phone. Without consent and check-in your face is never compared.`,
          demographics:
            "Only with a further consent and during a recognised visit: an estimate of your age band and gender is added to that visit.",
          retention: `Visits are kept for ${s.visitRetentionDays} days. Your face template is destroyed when you withdraw consent, delete it, or ${years} years after your last interaction. Raw camera frames are never written to disk.`,
          rights:
            "You can withdraw consent at any time (one tap), delete your template, see and download everything held on you, and ask for erasure. We answer within the legal deadline.",
          complaint: `You can complain to ${s.complaintAuthority || "your data protection authority"}${s.complaintUrl ? ` (${s.complaintUrl})` : ""}.`,
        },
      };
  }
}
