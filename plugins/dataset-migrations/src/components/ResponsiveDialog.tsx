import Dialog, { DialogProps } from '@material-ui/core/Dialog';
import type { Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';

/**
 * A dialog that takes the whole screen on a phone, where a centred box with margins
 * leaves the plan or the form a few words wide; elsewhere MUI's dialog as given.
 */
export const ResponsiveDialog = (props: DialogProps) => {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  return <Dialog fullScreen={isSmall} {...props} />;
};
