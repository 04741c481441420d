import { useState } from 'preact/hooks';
import { toast } from '../toast';

interface CopyButtonProps {
  text: string;
  /** What is copied, for the accessible name: "Copy URL", "Copy curl command". */
  label?: string;
  /** Said after the label by screen readers only: "Copy URL" + " of docker". */
  hiddenLabel?: string;
  class?: string;
}

/**
 * The Clipboard API needs a secure context; plain-http deployments on a LAN are
 * common for a self-hosted server, so fall back to a selected hidden textarea.
 */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

export function CopyButton({ text, label = 'Copy', hiddenLabel, class: className }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const onClick = async () => {
    try {
      await copyText(text);
      setCopied(true);
      toast('Copied to the clipboard', 'success');
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      toast('Could not copy; select the text and copy it by hand', 'error');
    }
  };
  return (
    <button type="button" class={`button button-small ${className ?? ''}`} onClick={onClick}>
      {/* The name stays the same so assistive tech and tests find the button again;
          the toast announces the copy. */}
      {copied && <span aria-hidden="true">✓ </span>}
      {label}
      {hiddenLabel && <span class="visually-hidden">{hiddenLabel}</span>}
    </button>
  );
}
