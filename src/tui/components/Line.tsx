import { Text } from 'ink';
import { memo } from 'react';
import { NO_STYLE, styled, useTheme, type Style } from '../theme.js';

export interface LineProps {
  /** The line, its parts already painted (see `paint`). */
  text: string;
  /**
   * The style of the whole line, applied by Ink after the cut at the right edge, as a `<Text>`
   * around the line would. A shared object (NO_STYLE, INVERSE, STATUS_STYLE…): props compare by
   * reference.
   */
  style?: Style;
}

/**
 * One line of the screen, one `<Text>`: cut at the right edge rather than wrapped. Drawn again
 * only when its text or style changes, so a refresh that changes a few rows redraws those only.
 */
export const Line = memo(function Line({ text, style = NO_STYLE }: LineProps) {
  const theme = useTheme();
  return (
    <Text wrap="truncate" {...styled(theme, style)}>
      {text}
    </Text>
  );
});
