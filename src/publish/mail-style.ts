/** The mails' inline styles (mail clients drop <style> blocks and external CSS): the brief, alerts, confirmations. */
export const MAIL_STYLE = {
  body: 'margin:0;padding:0;background:#f4f4f5;',
  wrap: 'max-width:640px;margin:0 auto;padding:16px;background:#ffffff;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1d1d1f;',
  h1: 'font-size:22px;line-height:1.3;margin:8px 0 12px;',
  h2: 'font-size:18px;margin:24px 0 8px;border-bottom:1px solid #dddddd;',
  p: 'margin:0 0 12px;',
  muted: 'color:#555555;font-size:13px;margin:0 0 12px;',
  missing: 'margin:0 0 12px;color:#6b4e00;background:#fff8e1;padding:6px 8px;border-left:3px solid #e0a800;',
  img: 'display:block;width:100%;max-width:600px;height:auto;border:0;',
  table: 'border-collapse:collapse;font-size:14px;',
  cell: 'padding:3px 8px;border-bottom:1px solid #eeeeee;text-align:left;white-space:nowrap;',
  foot: 'color:#555555;font-size:12px;margin:24px 0 0;border-top:1px solid #dddddd;padding-top:8px;',
} as const;
