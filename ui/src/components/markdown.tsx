import MarkdownIt from 'markdown-it';
import { useMemo } from 'preact/hooks';

// Raw HTML in reports is shown as text, never run; markdown-it also refuses javascript: links.
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
const defaultLink =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('target', '_blank');
  tokens[idx]?.attrSet('rel', 'noopener noreferrer');
  return defaultLink(tokens, idx, options, env, self);
};

/** Markdown (reports, final messages) rendered safely. */
export function Markdown({ text, testId }: { text: string; testId?: string }) {
  const html = useMemo(() => md.render(text), [text]);
  return <div class="markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
