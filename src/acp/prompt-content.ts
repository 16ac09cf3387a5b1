import { RequestError, type ContentBlock } from '@agentclientprotocol/sdk';

/**
 * A prompt's content blocks as the text of one goosed user message. Editors put mentions inline
 * (`explain ` + a link to a file + ` please`), so text and links join as they come; the contents of
 * embedded resources follow, each marked with where it came from. A link to a file is left for the
 * agent's tools to read: they work in the session's directory on the same machine.
 */
export function promptText(blocks: readonly ContentBlock[]): string {
  let text = '';
  const attached: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'resource_link':
        text += `[@${block.title ?? block.name}](${block.uri})`;
        break;
      case 'resource': {
        const { resource } = block;
        text += `[@${resource.uri}]`;
        attached.push(
          'text' in resource
            ? `<context ref="${resource.uri}">\n${resource.text}\n</context>`
            : `<context ref="${resource.uri}">(binary content${resource.mimeType ? ` of type ${resource.mimeType}` : ''}, not included)</context>`,
        );
        break;
      }
      default:
        // Never advertised in initialize, so a client that sends one ignored the capabilities.
        throw RequestError.invalidParams({ type: block.type }, `goosed takes text, resource links and embedded resources in a prompt, not ${block.type}`);
    }
  }
  return [text, ...attached].filter((part) => part.trim() !== '').join('\n\n');
}
